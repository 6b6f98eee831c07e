-- The native ack's lock: the group's cursor row on the partition, held until the cycle commits.
-- $1 partition id, $2 group
SELECT lease_id, coalesce(lease_expires_at > now(), false) AS lease_live
FROM partition_consumers
WHERE partition_id = $1 AND consumer_group = $2
FOR UPDATE
