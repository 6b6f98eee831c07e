-- Kafka's transactional.id.expiration.ms: forgets up to $2 transactional ids with no transaction open that nothing
-- changed for $1 ms; their staged rows go with them (ON DELETE CASCADE, V015; a completed transaction has none). The
-- id's next InitProducerId starts afresh (a new producer id at epoch 0); a producer still using the forgotten id's
-- producer id is answered INVALID_PRODUCER_ID_MAPPING, as Kafka answers it. An open ('Ongoing') transaction is never
-- deleted here: the transaction timeout aborts it first. SKIP LOCKED: an id being initialised or changed right now
-- is left alone, and the row lock re-checks updated_at on one that was just changed.
-- $1 expiration ms, $2 batch
WITH idle AS (
    SELECT transactional_id
    FROM kafka_transactions
    WHERE state <> 'Ongoing' AND updated_at < now() - $1::bigint * interval '1 millisecond'
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
DELETE FROM kafka_transactions t USING idle i WHERE t.transactional_id = i.transactional_id
