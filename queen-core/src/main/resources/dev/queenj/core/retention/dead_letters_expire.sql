-- Deletes up to $1 dead letters older than their queue's retentionSeconds (when retentionEnabled), through the
-- (queue, failed_at) index.
-- $1 batch
DELETE FROM dead_letters
WHERE id IN (
    SELECT d.id
    FROM queues q
    CROSS JOIN LATERAL (
        SELECT d.id FROM dead_letters d
        WHERE d.queue_id = q.id AND d.failed_at < now() - make_interval(secs => q.retention_seconds)
        ORDER BY d.failed_at
        LIMIT $1
    ) d
    WHERE q.retention_enabled AND q.retention_seconds > 0
    LIMIT $1)
