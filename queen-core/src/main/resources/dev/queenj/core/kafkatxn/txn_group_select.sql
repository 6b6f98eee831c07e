-- Whether a group was added to a transaction. $1 transactional id, $2 group id
SELECT 1 FROM kafka_txn_groups WHERE transactional_id = $1 AND group_id = $2
