-- Forgets where a group starts reading, on every queue or on one ($2 queue name, null = every queue); its next pop
-- decides again.
DELETE FROM group_subscriptions
WHERE consumer_group = $1
  AND ($2::text IS NULL OR queue_id = (SELECT id FROM queues WHERE name = $2))
