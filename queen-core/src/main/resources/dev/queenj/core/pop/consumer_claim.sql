-- Leases up to $3 of the candidate partitions for a group. Rows another pop is claiming right now are skipped,
-- never waited on: a stalled or busy partition cannot delay anyone else.
-- $1 candidate partition ids, $2 group, $3 limit, $4 lease id, $5 lease seconds, $6 worker id
WITH free AS (
    SELECT pc.partition_id
    FROM partition_consumers pc
    JOIN unnest($1::uuid[]) WITH ORDINALITY AS c(partition_id, ord) ON c.partition_id = pc.partition_id
    WHERE pc.consumer_group = $2
      AND (pc.lease_expires_at IS NULL OR pc.lease_expires_at <= now())
      AND (pc.visible_after IS NULL OR pc.visible_after <= now())
    ORDER BY c.ord
    LIMIT $3
    FOR UPDATE OF pc SKIP LOCKED
)
UPDATE partition_consumers pc
SET lease_id = $4, lease_expires_at = now() + make_interval(secs => $5), batch_last_offset = NULL,
    visible_after = NULL, worker_id = $6
FROM free
WHERE pc.partition_id = free.partition_id AND pc.consumer_group = $2
RETURNING pc.partition_id, pc.cursor_offset, pc.retry_count
