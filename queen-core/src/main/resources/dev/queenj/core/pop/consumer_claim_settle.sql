-- After reading: a claimed partition that delivered nothing is released at once; with autoAck the cursor jumps to
-- the last delivered message and no lease is kept; otherwise the lease covers the batch up to its last offset.
-- $1 partition ids, $2 last delivered offsets (null = nothing delivered), $3 counts, $4 group, $5 autoAck
UPDATE partition_consumers pc
SET batch_last_offset = s.last_offset,
    lease_id = CASE WHEN s.last_offset IS NULL OR $5 THEN NULL ELSE pc.lease_id END,
    lease_expires_at = CASE WHEN s.last_offset IS NULL OR $5 THEN NULL ELSE pc.lease_expires_at END,
    cursor_offset = CASE WHEN $5 AND s.last_offset IS NOT NULL THEN greatest(pc.cursor_offset, s.last_offset)
                         ELSE pc.cursor_offset END,
    retry_count = CASE WHEN $5 AND s.last_offset IS NOT NULL THEN 0 ELSE pc.retry_count END,
    total_consumed = pc.total_consumed + CASE WHEN $5 THEN s.n ELSE 0 END,
    last_consumed_at = CASE WHEN $5 AND s.n > 0 THEN now() ELSE pc.last_consumed_at END
FROM unnest($1::uuid[], $2::bigint[], $3::int[]) AS s(partition_id, last_offset, n)
WHERE pc.partition_id = s.partition_id AND pc.consumer_group = $4
