-- Partitions of a queue that a group could pop now, from the pending index (partitions with something past the
-- group's cursor): no live lease, no retry delay pending, quiet for the window buffer, and (with delayed processing)
-- a first unconsumed message already visible. Least recently consumed first, so that busy partitions do not starve
-- the others. Partitions that pops of this instance are claiming right now ($6) are left to them. The cost is the
-- candidates and the leased or claimed partitions skipped on the way, not the queue's size.
-- $1 queue id, $2 group, $3 window buffer s, $4 delayed processing s, $5 limit, $6 partitions being claimed
SELECT pc.partition_id AS id, p.name
FROM partition_consumers pc
JOIN partitions p ON p.id = pc.partition_id
WHERE pc.queue_id = $1 AND pc.consumer_group = $2 AND pc.head_offset > pc.cursor_offset
  AND (pc.lease_expires_at IS NULL OR pc.lease_expires_at <= now())
  AND (pc.visible_after IS NULL OR pc.visible_after <= now())
  AND pc.partition_id <> ALL($6::uuid[])
  AND ($3 = 0 OR p.last_message_at <= now() - make_interval(secs => $3))
  AND ($4 = 0 OR EXISTS (
      SELECT 1 FROM messages m
      WHERE m.partition_id = pc.partition_id AND m.log_offset > pc.cursor_offset
        AND m.created_at <= now() - make_interval(secs => $4)))
ORDER BY pc.last_consumed_at NULLS FIRST
LIMIT $5
