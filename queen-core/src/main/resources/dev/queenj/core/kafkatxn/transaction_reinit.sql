-- InitProducerId on a known transactional id: its new producer id and epoch, no transaction open.
-- $1 transactional id, $2 producer id, $3 epoch, $4 timeout ms
UPDATE kafka_transactions
SET producer_id = $2, producer_epoch = $3, state = 'Empty', timeout_ms = $4, started_at = NULL, updated_at = now()
WHERE transactional_id = $1
