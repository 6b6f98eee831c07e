-- The partitions added to a transaction. $1 transactional id
SELECT queue_id, kafka_partition FROM kafka_txn_partitions WHERE transactional_id = $1
