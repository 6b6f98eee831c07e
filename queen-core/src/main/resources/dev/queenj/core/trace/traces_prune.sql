-- Forgets trace events older than the retention, a bounded batch at a time (their names go by cascade).
-- $1 recorded before, $2 batch size
DELETE FROM message_traces
WHERE id IN (SELECT id FROM message_traces WHERE created_at < $1 ORDER BY created_at LIMIT $2)
