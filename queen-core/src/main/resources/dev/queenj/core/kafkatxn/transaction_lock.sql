-- A transactional id's state, locked until the caller's transaction ends: every change of a transaction (and every
-- staged write) runs under this lock, so fencing holds across instances.
-- $1 transactional id
SELECT producer_id, producer_epoch, state, timeout_ms, started_at
FROM kafka_transactions
WHERE transactional_id = $1
FOR UPDATE
