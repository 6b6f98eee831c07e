SELECT o.group_id, q.name AS topic, o.kafka_partition, o.committed_offset, o.leader_epoch, o.metadata
FROM kafka_group_offsets o
JOIN queues q ON q.id = o.queue_id
WHERE o.group_id = ANY($1)
ORDER BY o.group_id, q.name, o.kafka_partition
