-- Stored counts per queue and minute in [from, to), of one queue or all; bounded by the window (one row per queue
-- and minute with work), read through the primary key's minute prefix.
-- $1 from, $2 to, $3 queue name (null = every queue)
SELECT minute, queue_name, pushed, popped, acked, failed, dead_lettered
FROM queue_stats
WHERE minute >= $1 AND minute < $2 AND ($3::text IS NULL OR queue_name = $3)
