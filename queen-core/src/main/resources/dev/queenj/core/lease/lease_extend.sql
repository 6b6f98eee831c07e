-- Extends every live lease row of a lease id to max(current expiry, now + seconds).
-- Lease ids are looked up without an index on purpose: the column changes on every pop and an index on it would
-- make those updates non-HOT. Extends are rare.
UPDATE partition_consumers
SET lease_expires_at = greatest(lease_expires_at, now() + make_interval(secs => $2))
WHERE lease_id = $1 AND lease_expires_at > now()
RETURNING lease_expires_at
