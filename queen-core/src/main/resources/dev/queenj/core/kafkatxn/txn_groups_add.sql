-- AddOffsetsToTxn. $1 transactional id, $2 group id
INSERT INTO kafka_txn_groups (transactional_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING
