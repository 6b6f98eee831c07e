-- The cycle's ack: the cursor moves to the acked message, never backwards; the consumed total grows by the ack's
-- count; $6 true clears the lease (holder, expiry, batch counters) so the next pop claims the partition at once.
-- A missing cursor row is created knowing the partition's newest offset, as ack_complete.sql does.
-- $1 partition id, $2 group, $3 queue id, $4 message offset, $5 count, $6 release lease
INSERT INTO partition_consumers AS pc (partition_id, consumer_group, queue_id, cursor_offset, total_consumed,
                                       last_consumed_at, head_offset)
SELECT $1, $2, $3, $4, $5, now(), p.last_offset FROM partitions p WHERE p.id = $1
ON CONFLICT (partition_id, consumer_group) DO UPDATE
SET cursor_offset = greatest(pc.cursor_offset, excluded.cursor_offset),
    total_consumed = pc.total_consumed + excluded.total_consumed,
    last_consumed_at = excluded.last_consumed_at,
    lease_id = CASE WHEN $6 THEN NULL ELSE pc.lease_id END,
    lease_expires_at = CASE WHEN $6 THEN NULL ELSE pc.lease_expires_at END,
    batch_last_offset = CASE WHEN $6 THEN NULL ELSE pc.batch_last_offset END,
    retry_count = CASE WHEN $6 THEN 0 ELSE pc.retry_count END
