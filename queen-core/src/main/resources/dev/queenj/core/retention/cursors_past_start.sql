-- Moves pending cursors that point below their log's start to just before it: what they pointed at is gone. A
-- partition whose remaining messages were all deleted then leaves the pending index instead of being offered to
-- every wildcard pop, which would claim it and find nothing, for ever. A lease whose whole batch is gone is
-- released. Only pending cursors are looked at (the partial index), up to $1 per statement; rows a pop is claiming
-- right now are skipped and caught by the next cycle. Skipped messages do not count as consumed.
-- $1 batch
WITH behind AS (
    SELECT pc.partition_id, pc.consumer_group, h.log_start_offset - 1 AS floor
    FROM partition_consumers pc
    JOIN partitions p ON p.id = pc.partition_id
    JOIN log_heads h ON h.queue_id = p.queue_id AND h.kafka_partition = p.kafka_partition
    WHERE pc.head_offset > pc.cursor_offset AND pc.cursor_offset < h.log_start_offset - 1
    ORDER BY pc.partition_id, pc.consumer_group
    LIMIT $1
    FOR UPDATE OF pc SKIP LOCKED
)
UPDATE partition_consumers pc
SET cursor_offset = b.floor,
    lease_id = CASE WHEN b.floor >= coalesce(pc.batch_last_offset, -1) THEN NULL ELSE pc.lease_id END,
    lease_expires_at = CASE WHEN b.floor >= coalesce(pc.batch_last_offset, -1) THEN NULL ELSE pc.lease_expires_at END,
    retry_count = CASE WHEN b.floor >= coalesce(pc.batch_last_offset, -1) THEN 0 ELSE pc.retry_count END,
    batch_last_offset = CASE WHEN b.floor >= coalesce(pc.batch_last_offset, -1) THEN NULL
                             ELSE pc.batch_last_offset END
FROM behind b
WHERE pc.partition_id = b.partition_id AND pc.consumer_group = b.consumer_group AND pc.cursor_offset < b.floor
