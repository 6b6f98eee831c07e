-- Forgets a Kafka group's committed offsets unless an instance holds its coordinator lease (then it may have live
-- members, and Kafka deletes only an empty group). Answers how many offsets went and whether the lease was live.
-- $1 group id
WITH live AS (
    SELECT 1 FROM queen_group_leases WHERE group_id = $1 AND expires_at > now()
),
deleted AS (
    DELETE FROM kafka_group_offsets WHERE group_id = $1 AND NOT EXISTS (SELECT 1 FROM live) RETURNING 1
)
SELECT (SELECT count(*) FROM deleted) AS deleted, EXISTS (SELECT 1 FROM live) AS coordinated
