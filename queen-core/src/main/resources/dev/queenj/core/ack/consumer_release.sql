-- Releases a group's lease on a partition without touching cursor or counters (ack status "retry").
UPDATE partition_consumers
SET lease_id = NULL, lease_expires_at = NULL, batch_last_offset = NULL
WHERE partition_id = $1 AND consumer_group = $2
