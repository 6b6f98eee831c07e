-- The dead letters of one message, one row per consumer group that gave up on it, with where a requeue appends it
-- again: its queue, and its Queen partition's name (from the partition's row, else as kept with the dead letter once
-- the partition is gone; null when neither is left). Through the (partition_id, message_id) index.
-- $1 partition id, $2 transaction id
SELECT d.consumer_group, min(q.name) AS queue_name, max(coalesce(p.name, d.partition_name)) AS partition_name
FROM dead_letters d
JOIN queues q ON q.id = d.queue_id
LEFT JOIN partitions p ON p.id = d.partition_id
WHERE d.partition_id = $1 AND d.transaction_id = $2
GROUP BY d.consumer_group
ORDER BY d.consumer_group
