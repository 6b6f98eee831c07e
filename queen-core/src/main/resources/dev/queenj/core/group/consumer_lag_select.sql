-- How far each consumer group is behind, per partition. A group reads a queue once it has cursor state on one of its
-- partitions or a stored subscription to it; then every partition of the queue counts. A partition without state is
-- measured from where the group's first pop would place its cursor (consumer_init.sql): after the last message
-- created before the subscription's start, else from the beginning.
-- $1 group, null = every group
WITH readers AS (
    SELECT DISTINCT consumer_group, queue_id FROM partition_consumers WHERE $1::text IS NULL OR consumer_group = $1
    UNION
    SELECT consumer_group, queue_id FROM group_subscriptions WHERE $1::text IS NULL OR consumer_group = $1
),
positions AS (
    SELECT r.consumer_group, q.name AS queue_name, p.id AS partition_id, p.name AS partition_name,
           pc.partition_id IS NOT NULL AS has_state, pc.worker_id, pc.last_consumed_at,
           coalesce(pc.total_consumed, 0) AS total_consumed,
           coalesce(pc.lease_expires_at > now(), false) AS lease_active,
           s.mode AS subscription_mode, s.start_at AS subscription_start,
           coalesce(pc.cursor_offset, queen_offset_before(p.id, s.start_at)) AS cursor_offset
    FROM readers r
    JOIN queues q ON q.id = r.queue_id
    JOIN partitions p ON p.queue_id = r.queue_id
    LEFT JOIN partition_consumers pc ON pc.partition_id = p.id AND pc.consumer_group = r.consumer_group
    LEFT JOIN group_subscriptions s ON s.consumer_group = r.consumer_group AND s.queue_id = r.queue_id
)
SELECT pos.consumer_group, pos.queue_name, pos.partition_id, pos.partition_name, pos.has_state, pos.worker_id,
       pos.last_consumed_at, pos.total_consumed, pos.lease_active, pos.subscription_mode, pos.subscription_start,
       behind.messages AS offset_lag,
       coalesce(extract(epoch FROM now() - behind.oldest)::bigint, 0) AS time_lag_seconds
FROM positions pos
CROSS JOIN LATERAL (
    SELECT count(*) AS messages, min(m.created_at) AS oldest
    FROM messages m
    WHERE m.partition_id = pos.partition_id AND m.log_offset > pos.cursor_offset
) behind
ORDER BY pos.consumer_group, pos.queue_name, pos.partition_name
