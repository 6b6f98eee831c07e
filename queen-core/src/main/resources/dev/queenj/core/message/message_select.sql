-- $1 partition id, $2 transaction id
SELECT m.id, m.transaction_id, m.partition_id, m.log_offset, m.trace_id, m.payload, m.payload_key_id, m.producer_sub,
       m.created_at,
       p.name AS partition_name, q.name AS queue_name, q.namespace, q.task,
       m.record_timestamp IS NOT NULL AS kafka_origin
FROM messages m
JOIN partitions p ON p.id = m.partition_id
JOIN queues q ON q.id = p.queue_id
WHERE m.partition_id = $1 AND m.transaction_id = $2
