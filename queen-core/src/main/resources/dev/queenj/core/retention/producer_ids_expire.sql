-- Deletes up to $2 producer ids handed out more than $1 ms ago (Kafka's producer.id.expiration.ms) that have no
-- sequence state left in any log and belong to no transactional id: nothing reads them any more. Ids come from an
-- identity, which never hands one out again, so a deleted id is never reused; a producer still holding one that
-- writes again starts a fresh state at sequence 0 (or is refused a later sequence, see the README).
-- $1 expiration ms, $2 batch
DELETE FROM kafka_producer_ids
WHERE producer_id IN (
    SELECT i.producer_id
    FROM kafka_producer_ids i
    WHERE i.created_at < now() - $1::bigint * interval '1 millisecond'
      AND NOT EXISTS (SELECT 1 FROM kafka_producer_state s WHERE s.producer_id = i.producer_id)
      AND NOT EXISTS (SELECT 1 FROM kafka_transactions t WHERE t.producer_id = i.producer_id)
    LIMIT $2)
