-- Partitions of a queue that a group could pop now: something past its cursor, no live lease, no retry delay
-- pending, quiet for the window buffer, and (with delayed processing) a first unconsumed message already visible.
-- Least recently consumed first, so that busy partitions do not starve the others. "fresh" marks partitions the
-- group has no cursor on yet.
-- $1 queue id, $2 group, $3 window buffer s, $4 delayed processing s, $5 limit
SELECT p.id, p.name, pc.partition_id IS NULL AS fresh
FROM partitions p
LEFT JOIN partition_consumers pc ON pc.partition_id = p.id AND pc.consumer_group = $2
WHERE p.queue_id = $1
  AND p.last_offset > coalesce(pc.cursor_offset, -1)
  AND (pc.lease_expires_at IS NULL OR pc.lease_expires_at <= now())
  AND (pc.visible_after IS NULL OR pc.visible_after <= now())
  AND ($3 = 0 OR p.last_message_at <= now() - make_interval(secs => $3))
  AND ($4 = 0 OR EXISTS (
      SELECT 1 FROM messages m
      WHERE m.partition_id = p.id AND m.log_offset > coalesce(pc.cursor_offset, -1)
        AND m.created_at <= now() - make_interval(secs => $4)))
ORDER BY pc.last_consumed_at NULLS FIRST, p.last_message_at
LIMIT $5
