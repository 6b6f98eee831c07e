-- What a failed / dlq / retry ack needs to decide: the message, its queue's retry options, the group's state.
-- $1 partition id, $2 transaction id, $3 group
SELECT m.id AS message_id, m.log_offset, m.payload, m.payload_key_id, m.created_at, m.trace_id, q.id AS queue_id,
       q.name AS queue_name,
       q.retry_limit, q.retry_delay, p.name AS partition_name,
       coalesce(pc.retry_count, 0) AS retry_count, pc.lease_id,
       coalesce(pc.lease_expires_at > now(), false) AS lease_live
FROM messages m
JOIN partitions p ON p.id = m.partition_id
JOIN queues q ON q.id = p.queue_id
LEFT JOIN partition_consumers pc ON pc.partition_id = m.partition_id AND pc.consumer_group = $3
WHERE m.partition_id = $1 AND m.transaction_id = $2
