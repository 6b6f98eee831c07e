-- A group's start on a queue is decided once, on its first pop; later pops do not change it.
INSERT INTO group_subscriptions (consumer_group, queue_id, mode, start_at)
VALUES ($1, $2, $3, CASE WHEN $4::timestamptz IS NULL THEN NULL ELSE least($4::timestamptz, now()) END)
ON CONFLICT DO NOTHING
