-- Partitions, consumer state, subscriptions and dead letters go by cascade; the log has no foreign key.
WITH gone AS (
    DELETE FROM queues WHERE name = $1 RETURNING id
),
log AS (
    DELETE FROM messages m USING gone WHERE m.queue_id = gone.id
)
SELECT id FROM gone
