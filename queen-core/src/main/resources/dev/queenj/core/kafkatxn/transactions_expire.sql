-- The timeout: aborts up to $1 transactions open longer than their timeout and bumps their epochs, fencing the
-- producers that let them expire. SKIP LOCKED: a transaction being committed or changed right now is not expired
-- under it, and instances running this at once take different rows.
WITH expired AS (
    SELECT transactional_id
    FROM kafka_transactions
    WHERE state = 'Ongoing' AND started_at + timeout_ms * interval '1 millisecond' < now()
    ORDER BY started_at
    LIMIT $1
    FOR UPDATE SKIP LOCKED
),
dropped_records AS (DELETE FROM kafka_txn_records r USING expired e WHERE r.transactional_id = e.transactional_id),
dropped_offsets AS (DELETE FROM kafka_txn_offsets o USING expired e WHERE o.transactional_id = e.transactional_id),
dropped_partitions AS (DELETE FROM kafka_txn_partitions p USING expired e WHERE p.transactional_id = e.transactional_id),
dropped_groups AS (DELETE FROM kafka_txn_groups g USING expired e WHERE g.transactional_id = e.transactional_id)
UPDATE kafka_transactions t
SET state = 'CompleteAbort', producer_epoch = LEAST(t.producer_epoch + 1, 32767)::smallint, updated_at = now()
FROM expired e
WHERE t.transactional_id = e.transactional_id
RETURNING t.transactional_id
