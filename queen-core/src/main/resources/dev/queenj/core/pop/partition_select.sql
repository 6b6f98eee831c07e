-- $1 queue id, $2 partition name, $3 window buffer s
SELECT id, ($3 > 0 AND last_message_at > now() - make_interval(secs => $3)) AS window_active
FROM partitions
WHERE queue_id = $1 AND name = $2
