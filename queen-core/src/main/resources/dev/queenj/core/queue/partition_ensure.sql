INSERT INTO partitions (id, queue_id, name, kafka_partition)
VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING
