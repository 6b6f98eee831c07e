-- DescribeTransactions: each transactional id's state and the partitions of its open transaction, one row per
-- partition (one row with null partition when there is none). $1 transactional ids
SELECT t.transactional_id, t.producer_id, t.producer_epoch, t.state, t.timeout_ms,
       coalesce(floor(extract(epoch FROM t.started_at) * 1000)::bigint, -1) AS started_ms,
       q.name AS topic, p.kafka_partition
FROM kafka_transactions t
LEFT JOIN kafka_txn_partitions p ON p.transactional_id = t.transactional_id
LEFT JOIN queues q ON q.id = p.queue_id
WHERE t.transactional_id = ANY($1)
ORDER BY t.transactional_id, q.name, p.kafka_partition
