-- Creates the (partition, group) cursors a pop is about to claim, for partitions the group has none on yet. Only
-- those: inserting over a row another pop is claiming would wait for that pop's transaction. A group subscribed from
-- a point in time starts after the last message created before it; otherwise it starts at the beginning. The head is
-- the partition's newest offset, so the pending index sees the new cursor as it is.
-- Rows are inserted in partition id order: two pops creating overlapping sets then wait on each other in the same
-- order instead of deadlocking.
-- $1 partition ids, $2 group, $3 queue id, $4 subscription start (null = from the beginning)
INSERT INTO partition_consumers (partition_id, consumer_group, queue_id, cursor_offset, head_offset)
SELECT c.partition_id, $2, $3,
       queen_offset_before(c.partition_id, $4::timestamptz),
       p.last_offset
FROM unnest($1::uuid[]) AS c(partition_id)
JOIN partitions p ON p.id = c.partition_id
ORDER BY c.partition_id
ON CONFLICT DO NOTHING
