-- Kafka's producer.id.expiration.ms: deletes up to $2 producers' sequence states in logs they have not written to for
-- $1 ms (kafka_producer_state, V003), as Kafka drops a producer's state on a partition after that long. The producer
-- a transactional id is mapped to keeps its states as long as the id is kept (transactional.id.expiration.ms): a
-- Kafka broker accepts any sequence from a producer it has no state for, this one refuses all but 0, and a
-- transactional producer refused while committing does not bump its epoch, so it would be refused again after every
-- abort until restarted (tried with kafka-clients 4.1). Once the id is forgotten its states go too. No index on
-- updated_at: every append rewrites it, and an index on it would turn those HOT updates into index insertions on the
-- produce path; the table holds one row per producer and log written to within the expiration, which a scan every
-- RETENTION_INTERVAL reads quickly. FOR UPDATE SKIP LOCKED re-checks updated_at on a row an append just rewrote (it
-- stays) and skips one an append holds right now; an append that finds its state gone decides its batch afresh.
-- $1 expiration ms, $2 batch
WITH idle AS (
    SELECT s.producer_id, s.queue_id, s.kafka_partition
    FROM kafka_producer_state s
    WHERE s.updated_at < now() - $1::bigint * interval '1 millisecond'
      AND NOT EXISTS (SELECT 1 FROM kafka_transactions t WHERE t.producer_id = s.producer_id)
    LIMIT $2
    FOR UPDATE OF s SKIP LOCKED
)
DELETE FROM kafka_producer_state s USING idle i
WHERE s.producer_id = i.producer_id AND s.queue_id = i.queue_id AND s.kafka_partition = i.kafka_partition
