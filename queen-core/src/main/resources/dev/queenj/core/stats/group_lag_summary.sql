-- Lag per consumer group and queue, from the cursors alone: a partition lags for a group while its newest offset is
-- past the group's cursor (both kept up to date by appends and acks, no counting); the time lag is the age of the
-- oldest unconsumed message over the lagging partitions, one index probe each (none for partitions caught up).
-- Partitions a group has no cursor on yet (never popped) are not counted here; GET /consumer-groups counts them.
-- $1 queue name (null = every queue)
SELECT pc.consumer_group, q.name AS queue_name, count(*) AS partitions,
       count(*) FILTER (WHERE p.last_offset > pc.cursor_offset) AS partitions_with_lag,
       count(*) FILTER (WHERE pc.lease_expires_at > now()) AS leases_active,
       coalesce(sum(pc.total_consumed), 0)::bigint AS total_consumed, max(pc.last_consumed_at) AS last_consumed_at,
       coalesce(extract(epoch FROM now() - min(o.created_at))::bigint, 0) AS max_time_lag_seconds
FROM partition_consumers pc
JOIN partitions p ON p.id = pc.partition_id
JOIN queues q ON q.id = pc.queue_id
LEFT JOIN LATERAL (
    SELECT m.created_at
    FROM messages m
    WHERE p.last_offset > pc.cursor_offset AND m.partition_id = pc.partition_id AND m.log_offset > pc.cursor_offset
    ORDER BY m.log_offset
    LIMIT 1
) o ON true
WHERE $1::text IS NULL OR q.name = $1
GROUP BY pc.consumer_group, q.name
ORDER BY pc.consumer_group, q.name
