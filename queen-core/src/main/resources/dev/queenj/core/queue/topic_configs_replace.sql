-- Makes a queue's stored topic configs exactly the given ones: those not named are removed, the named ones set.
-- Answers the queue's id, or nothing when no queue has that name.
WITH q AS (
    SELECT id FROM queues WHERE name = $1
),
removed AS (
    DELETE FROM topic_configs c USING q WHERE c.queue_id = q.id AND c.name <> ALL($2::text[])
),
kept AS (
    INSERT INTO topic_configs (queue_id, name, value)
    SELECT q.id, s.name, s.value FROM q, unnest($2::text[], $3::text[]) AS s(name, value)
    ON CONFLICT (queue_id, name) DO UPDATE SET value = excluded.value
)
SELECT id FROM q
