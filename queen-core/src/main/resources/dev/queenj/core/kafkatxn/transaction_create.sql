-- A transactional id seen for the first time: a new producer id at epoch 0. Answers nothing when the id exists (the
-- caller then locks and bumps it); a concurrent first InitProducerId for the same id waits here for the other.
-- DO UPDATE ... WHERE false changes nothing but locks the existing row (DO NOTHING would not): the retention cycle
-- forgetting an idle id (transactional_ids_expire.sql) then cannot delete it between this statement and the
-- caller's lock, and an id it is deleting right now is inserted afresh once the delete commits.
-- $1 transactional id, $2 timeout ms
WITH allocated AS (INSERT INTO kafka_producer_ids DEFAULT VALUES RETURNING producer_id)
INSERT INTO kafka_transactions (transactional_id, producer_id, producer_epoch, state, timeout_ms)
SELECT $1, producer_id, 0, 'Empty', $2 FROM allocated
ON CONFLICT (transactional_id) DO UPDATE SET updated_at = kafka_transactions.updated_at WHERE false
RETURNING producer_id, producer_epoch
