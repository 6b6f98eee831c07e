-- Forgets a Kafka group's committed offsets unless an instance other than $2 holds its coordinator lease (then the
-- group may have live members, and Kafka deletes only an empty group; $2 is the caller, when its own coordinator has
-- no member of the group). Answers how many offsets went and whether such a lease was live.
-- $1 group id, $2 instance id whose lease does not count, or null
WITH live AS (
    SELECT 1 FROM queen_group_leases
    WHERE group_id = $1 AND expires_at > now() AND ($2::text IS NULL OR owner <> $2)
),
deleted AS (
    DELETE FROM kafka_group_offsets WHERE group_id = $1 AND NOT EXISTS (SELECT 1 FROM live) RETURNING 1
)
SELECT (SELECT count(*) FROM deleted) AS deleted, EXISTS (SELECT 1 FROM live) AS coordinated
