-- DescribeProducers: the producers that wrote to each log within producer.id.expiration.ms (the producers Kafka still
-- keeps; retention deletes older states, but only once per RETENTION_INTERVAL).
-- $1 queue ids, $2 Kafka partitions, $3 producer.id.expiration.ms
SELECT s.queue_id, s.kafka_partition, s.producer_id, s.producer_epoch, s.last_sequence,
       floor(extract(epoch FROM s.updated_at) * 1000)::bigint AS last_ms
FROM unnest($1::uuid[], $2::int[]) AS w (queue_id, kafka_partition)
JOIN kafka_producer_state s ON s.queue_id = w.queue_id AND s.kafka_partition = w.kafka_partition
WHERE s.updated_at > now() - $3::bigint * interval '1 millisecond'
ORDER BY s.producer_id
