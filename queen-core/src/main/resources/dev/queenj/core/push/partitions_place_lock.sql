-- Places the batch's Queen partitions and locks the high-watermark rows the append will advance. A Queen partition
-- that exists keeps the Kafka partition its row names; a new one is placed over the queue's Kafka partition count as
-- stored now, which may have grown since the caller cached the queue: a fallback partition __kafka-partition-<N>
-- (named) in Kafka partition N when the queue has it, any other by its hash. (Should a concurrent append place the
-- same new partition over another count, the append statement notices and the transaction is retried.)
-- A Kafka record (forced not null) appends to the Kafka partition it was produced into whatever the placement; the
-- caller then compares the two to choose between the key's Queen partition and the fallback one.
-- Rows are locked in a fixed order so that concurrent appenders cannot deadlock. The append statement runs after this
-- one, so its snapshot sees every row committed by earlier holders.
-- Answers one row per input whose queue and log exist: its placement.
SELECT w.ord, placed.kafka_partition
FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::int[])
     AS w(ord, queue_id, partition_id, placement_hash, named, forced)
JOIN queues q ON q.id = w.queue_id
LEFT JOIN partitions p ON p.id = w.partition_id
CROSS JOIN LATERAL (
    SELECT coalesce(p.kafka_partition,
                    CASE WHEN w.named < q.kafka_partitions THEN w.named
                         ELSE w.placement_hash % q.kafka_partitions END) AS kafka_partition
) placed
JOIN log_heads h
  ON h.queue_id = w.queue_id
 AND h.kafka_partition = coalesce(w.forced, placed.kafka_partition)
ORDER BY h.queue_id, h.kafka_partition
FOR UPDATE OF h
