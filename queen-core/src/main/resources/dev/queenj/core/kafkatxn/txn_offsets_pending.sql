-- The partitions for which groups have offsets staged in open transactions. $1 group ids
SELECT DISTINCT o.group_id, q.name AS topic, o.kafka_partition
FROM kafka_txn_offsets o
JOIN queues q ON q.id = o.queue_id
WHERE o.group_id = ANY($1)
