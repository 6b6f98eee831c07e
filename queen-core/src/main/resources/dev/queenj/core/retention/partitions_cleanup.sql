-- Removes up to $2 Queen partitions that hold no message and received none for $1 s, with their cursors.
-- A push racing the removal is safe either way: its append upserts the partition row (message_append.sql, touched),
-- so it either updates the row first (then last_message_at is new when this statement locks the row and re-checks
-- it, and the row stays) or waits for this statement's commit and inserts the row afresh. Rows locked by an append
-- right now are skipped. A partition created again starts without cursors: every group reads it from its first
-- message, all of them new.
-- $1 idle seconds, $2 batch
WITH idle AS (
    SELECT p.id
    FROM partitions p
    WHERE coalesce(p.last_message_at, p.created_at) < now() - make_interval(secs => $1)
      AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.partition_id = p.id)
    LIMIT $2
    FOR UPDATE OF p SKIP LOCKED
),
cursors AS (
    DELETE FROM partition_consumers pc USING idle i WHERE pc.partition_id = i.id
)
DELETE FROM partitions p USING idle i WHERE p.id = i.id
