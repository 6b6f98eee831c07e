-- Idempotent producers' states in logs, for those that have one: the sequences an append decides batches on.
-- $1 producer ids, $2 queue ids, $3 Kafka partitions
SELECT s.producer_id, s.queue_id, s.kafka_partition, s.producer_epoch, s.last_sequence, s.first_seqs, s.last_seqs,
       s.base_offsets
FROM unnest($1::bigint[], $2::uuid[], $3::int[]) AS w(producer_id, queue_id, kafka_partition)
JOIN kafka_producer_state s
  ON s.producer_id = w.producer_id AND s.queue_id = w.queue_id AND s.kafka_partition = w.kafka_partition
