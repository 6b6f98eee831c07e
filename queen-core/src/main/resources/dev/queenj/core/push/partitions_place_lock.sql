-- Places the batch's Queen partitions and locks the high-watermark rows the append will advance. A Queen partition
-- that exists keeps the Kafka partition its row names; a new one is placed by its hash over the queue's Kafka
-- partition count as stored now, which may have grown since the caller cached the queue. (Should a concurrent append
-- place the same new partition over another count, the append statement notices and the transaction is retried.)
-- Rows are locked in a fixed order so that concurrent appenders cannot deadlock. The append statement runs after this
-- one, so its snapshot sees every row committed by earlier holders.
-- Answers one row per input Queen partition whose queue still exists.
SELECT w.partition_id, h.kafka_partition
FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS w(queue_id, partition_id, placement_hash)
JOIN queues q ON q.id = w.queue_id
LEFT JOIN partitions p ON p.id = w.partition_id
JOIN log_heads h
  ON h.queue_id = w.queue_id
 AND h.kafka_partition = coalesce(p.kafka_partition, w.placement_hash % q.kafka_partitions)
ORDER BY h.queue_id, h.kafka_partition
FOR UPDATE OF h
