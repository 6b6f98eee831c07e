-- One named partition, whether its window buffer is active, and whether the group has no cursor on it yet.
-- $1 queue id, $2 partition name, $3 window buffer s, $4 group
SELECT p.id, ($3 > 0 AND p.last_message_at > now() - make_interval(secs => $3)) AS window_active,
       pc.partition_id IS NULL AS fresh
FROM partitions p
LEFT JOIN partition_consumers pc ON pc.partition_id = p.id AND pc.consumer_group = $4
WHERE p.queue_id = $1 AND p.name = $2
