-- Message counts per partition, relative to consumer cursors. A group has consumed a message iff the message's
-- offset is at or below the group's cursor on its partition. Then:
--   completed  = consumed by every group that has a cursor on the partition (0 while no group has one)
--   processing = inside some group's live leased batch (cursor < offset <= batch_last_offset); never completed,
--                since that group has not consumed it
--   pending    = total - completed - processing, never negative
--   deadLetter = dead-letter rows (one per message and group that gave up on it)
--   failed     = distinct messages with at least one dead-letter row
-- Counts are taken live from the log (no cached counters), so they are exact but cost a scan of the messages.
-- $1 queue id, null = every queue
WITH floors AS (
    SELECT partition_id, min(cursor_offset) AS cursor_offset
    FROM partition_consumers
    WHERE $1::uuid IS NULL OR queue_id = $1
    GROUP BY partition_id
),
in_batches AS (
    -- Only messages inside live batches are visited (index range scans); a message in two groups' batches counts once.
    SELECT pc.partition_id, count(DISTINCT m.log_offset) AS processing
    FROM partition_consumers pc
    JOIN messages m ON m.partition_id = pc.partition_id
                   AND m.log_offset > pc.cursor_offset AND m.log_offset <= pc.batch_last_offset
    WHERE ($1::uuid IS NULL OR pc.queue_id = $1) AND pc.lease_expires_at > now()
    GROUP BY pc.partition_id
),
counts AS (
    SELECT m.partition_id, count(*) AS total,
           count(*) FILTER (WHERE m.log_offset <= f.cursor_offset) AS completed,
           count(*) FILTER (WHERE m.created_at > now() - interval '1 minute') AS last_minute,
           min(m.created_at) AS oldest, max(m.created_at) AS newest
    FROM messages m
    LEFT JOIN floors f ON f.partition_id = m.partition_id
    WHERE $1::uuid IS NULL OR m.queue_id = $1
    GROUP BY m.partition_id
),
dead AS (
    SELECT partition_id, count(*) AS dead_letters, count(DISTINCT message_id) AS failed
    FROM dead_letters
    WHERE $1::uuid IS NULL OR queue_id = $1
    GROUP BY partition_id
)
SELECT p.id, p.queue_id, p.name, p.created_at,
       coalesce(c.total, 0) AS total,
       greatest(0, coalesce(c.total, 0) - coalesce(c.completed, 0) - coalesce(b.processing, 0)) AS pending,
       coalesce(b.processing, 0) AS processing, coalesce(c.completed, 0) AS completed,
       coalesce(d.failed, 0) AS failed, coalesce(d.dead_letters, 0) AS dead_letters,
       c.oldest, c.newest, coalesce(c.last_minute, 0) AS last_minute
FROM partitions p
LEFT JOIN counts c ON c.partition_id = p.id
LEFT JOIN in_batches b ON b.partition_id = p.id
LEFT JOIN dead d ON d.partition_id = p.id
WHERE $1::uuid IS NULL OR p.queue_id = $1
ORDER BY p.queue_id, p.name
