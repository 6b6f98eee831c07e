-- Moves a group's cursors on a queue, creating them on partitions it has none on yet, and releases its leases there
-- (the batch in flight is no longer where the group reads). To the end: the partition's newest offset. To a time:
-- after the last message created before it, so that messages from that time on are delivered (again).
-- $1 group, $2 queue name, $3 time (null = to the end), $4 partition name (null = every partition)
INSERT INTO partition_consumers AS pc (partition_id, consumer_group, queue_id, head_offset, cursor_offset)
SELECT p.id, $1, p.queue_id, p.last_offset,
       CASE WHEN $3::timestamptz IS NULL THEN p.last_offset ELSE queen_offset_before(p.id, $3::timestamptz) END
FROM partitions p
JOIN queues q ON q.id = p.queue_id
WHERE q.name = $2 AND ($4::text IS NULL OR p.name = $4)
ON CONFLICT (partition_id, consumer_group) DO UPDATE
SET cursor_offset = excluded.cursor_offset, head_offset = greatest(pc.head_offset, excluded.head_offset),
    lease_id = NULL, lease_expires_at = NULL, batch_last_offset = NULL, retry_count = 0, visible_after = NULL
RETURNING pc.partition_id
