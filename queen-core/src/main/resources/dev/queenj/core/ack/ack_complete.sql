-- Completes a batch of acks in one statement. Acking message k consumes everything before it, so each
-- (partition, group) moves its cursor to the highest valid acked offset -- never backwards. When the cursor reaches
-- the end of the leased batch the lease is released and the retry counter resets.
-- An ack carrying a lease id must match the live lease; one without is accepted (Queen compatibility).
WITH input AS (
    SELECT *
    FROM unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::uuid[])
         AS t(ord, partition_id, transaction_id, consumer_group, lease_id)
),
resolved AS (
    SELECT i.*, m.log_offset, p.queue_id, p.name AS partition_name, p.last_offset AS partition_last_offset,
           q.name AS queue_name,
           (i.lease_id IS NULL OR (pc.lease_id = i.lease_id AND pc.lease_expires_at > now())) AS lease_ok
    FROM input i
    LEFT JOIN messages m ON m.partition_id = i.partition_id AND m.transaction_id = i.transaction_id
    LEFT JOIN partitions p ON p.id = i.partition_id
    LEFT JOIN queues q ON q.id = p.queue_id
    LEFT JOIN partition_consumers pc ON pc.partition_id = i.partition_id AND pc.consumer_group = i.consumer_group
),
target AS (
    SELECT partition_id, consumer_group, queue_id, max(log_offset) AS log_offset, count(*) AS n,
           max(partition_last_offset) AS partition_last_offset
    FROM resolved
    WHERE log_offset IS NOT NULL AND queue_id IS NOT NULL AND lease_ok
    GROUP BY partition_id, consumer_group, queue_id
),
moved AS (
    -- a cursor created here (an ack without a pop) knows the partition's newest offset, as a pop's would
    INSERT INTO partition_consumers AS pc (partition_id, consumer_group, queue_id, cursor_offset, total_consumed,
                                           last_consumed_at, head_offset)
    -- in key order, so that concurrent ack transactions lock rows in the same order and cannot deadlock
    SELECT partition_id, consumer_group, queue_id, log_offset, n, now(), partition_last_offset FROM target
    ORDER BY partition_id, consumer_group
    ON CONFLICT (partition_id, consumer_group) DO UPDATE
    SET cursor_offset = greatest(pc.cursor_offset, excluded.cursor_offset),
        total_consumed = pc.total_consumed + excluded.total_consumed,
        last_consumed_at = excluded.last_consumed_at,
        lease_id = CASE WHEN excluded.cursor_offset >= coalesce(pc.batch_last_offset, -1) THEN NULL
                        ELSE pc.lease_id END,
        lease_expires_at = CASE WHEN excluded.cursor_offset >= coalesce(pc.batch_last_offset, -1) THEN NULL
                                ELSE pc.lease_expires_at END,
        retry_count = CASE WHEN excluded.cursor_offset >= coalesce(pc.batch_last_offset, -1) THEN 0
                           ELSE pc.retry_count END,
        batch_last_offset = CASE WHEN excluded.cursor_offset >= coalesce(pc.batch_last_offset, -1) THEN NULL
                                 ELSE pc.batch_last_offset END
    RETURNING pc.partition_id, pc.consumer_group, pc.lease_expires_at IS NULL AS released
)
SELECT r.ord, r.queue_name, r.partition_name,
       CASE WHEN r.log_offset IS NULL OR r.queue_id IS NULL THEN 'Message not found'
            WHEN NOT r.lease_ok THEN 'Invalid or expired lease'
       END AS error,
       -- within a batch, the release is reported on the ack that reached the end of the leased batch
       coalesce(moved.released AND r.log_offset = t.log_offset, false) AS released
FROM resolved r
LEFT JOIN target t ON t.partition_id = r.partition_id AND t.consumer_group = r.consumer_group
LEFT JOIN moved ON moved.partition_id = r.partition_id AND moved.consumer_group = r.consumer_group
ORDER BY r.ord
