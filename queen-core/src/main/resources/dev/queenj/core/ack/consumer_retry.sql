-- Batch-level retry: release the lease, count the attempt, and keep the partition invisible to this group for the
-- queue's retryDelay. The cursor stays, so the batch is redelivered from it.
-- $1 partition id, $2 group, $3 queue id, $4 retry delay ms
INSERT INTO partition_consumers AS pc (partition_id, consumer_group, queue_id, retry_count, visible_after, head_offset)
SELECT $1, $2, $3, 1, now() + make_interval(secs => $4::float8 / 1000), p.last_offset
FROM partitions p
WHERE p.id = $1
ON CONFLICT (partition_id, consumer_group) DO UPDATE
SET retry_count = pc.retry_count + 1, visible_after = excluded.visible_after,
    lease_id = NULL, lease_expires_at = NULL, batch_last_offset = NULL
