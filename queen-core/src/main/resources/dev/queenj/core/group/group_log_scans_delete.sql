-- Forgets how far a group has discovered a queue's logs, with its cursors ($2 queue name, null = every queue): its
-- next pop discovers every partition again from the start of each log.
DELETE FROM group_log_scans
WHERE consumer_group = $1
  AND ($2::text IS NULL OR queue_id = (SELECT id FROM queues WHERE name = $2))
