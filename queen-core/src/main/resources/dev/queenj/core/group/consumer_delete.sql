-- Forgets a group's cursors and leases, on every queue or on one ($2 queue name, null = every queue). Its next pop
-- starts again from where its subscription says.
DELETE FROM partition_consumers
WHERE consumer_group = $1
  AND ($2::text IS NULL OR queue_id = (SELECT id FROM queues WHERE name = $2))
