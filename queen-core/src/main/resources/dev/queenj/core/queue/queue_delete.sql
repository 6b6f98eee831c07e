-- Partitions, consumer state, subscriptions and dead letters go by cascade; the log has no foreign key.
-- Stream state kept for the queue's partitions goes too: those partition ids can never be addressed again (a
-- re-created queue's partitions get new ids). Stream queries, which name queues only by name, stay registered.
WITH gone AS (
    DELETE FROM queues WHERE name = $1 RETURNING id
),
log AS (
    DELETE FROM messages m USING gone WHERE m.queue_id = gone.id
),
stream_state AS (
    DELETE FROM queen_streams.state s USING partitions p, gone WHERE p.queue_id = gone.id AND s.partition_id = p.id
)
SELECT id FROM gone
