-- Ends a transaction: forgets everything staged for it and records how it ended, at the epoch given (the timeout
-- bumps it, fencing the producer that let it expire).
-- $1 transactional id, $2 state ('CompleteCommit' or 'CompleteAbort'), $3 epoch
WITH dropped_records AS (DELETE FROM kafka_txn_records WHERE transactional_id = $1),
     dropped_offsets AS (DELETE FROM kafka_txn_offsets WHERE transactional_id = $1),
     dropped_partitions AS (DELETE FROM kafka_txn_partitions WHERE transactional_id = $1),
     dropped_groups AS (DELETE FROM kafka_txn_groups WHERE transactional_id = $1)
UPDATE kafka_transactions
SET state = $2, producer_epoch = $3, updated_at = now()
WHERE transactional_id = $1
