-- The queues of the partitions added to a transaction: resolved before its commit opens a Postgres transaction.
-- $1 transactional id
SELECT DISTINCT q.name
FROM kafka_txn_partitions p
JOIN queues q ON q.id = p.queue_id
WHERE p.transactional_id = $1
