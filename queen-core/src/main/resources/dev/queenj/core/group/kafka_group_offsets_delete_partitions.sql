-- Kafka's OffsetDelete: forgets one group's committed offsets of these (queue, Kafka partition) pairs, in one
-- statement; pairs without an offset are no error. Answers the number of offsets deleted.
-- $1 group id, $2 queue ids, $3 Kafka partitions
DELETE FROM kafka_group_offsets o
USING unnest($2::uuid[], $3::int[]) AS d (queue_id, kafka_partition)
WHERE o.group_id = $1 AND o.queue_id = d.queue_id AND o.kafka_partition = d.kafka_partition
