-- AddPartitionsToTxn. $1 transactional id, $2 queue ids, $3 Kafka partitions
INSERT INTO kafka_txn_partitions (transactional_id, queue_id, kafka_partition)
SELECT $1, p.queue_id, p.kafka_partition FROM unnest($2::uuid[], $3::int[]) AS p (queue_id, kafka_partition)
ON CONFLICT DO NOTHING
