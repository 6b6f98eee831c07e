-- Where a cursor starts when its group starts at a point in time: on the partition's last message created before that
-- time, so that messages from it on are delivered; -1 (the beginning) when there is none, or when the time is null.
-- One rule for the statements that create cursors (pops, discovery), report lag for cursors not created yet, and seek.
CREATE FUNCTION queen_offset_before(uuid, timestamptz) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN $2 IS NULL THEN -1
                ELSE coalesce((SELECT max(m.log_offset) FROM messages m
                               WHERE m.partition_id = $1 AND m.created_at < $2), -1)
           END
$$;
