-- A producer id never handed out before: for an idempotent producer, or a transactional id whose epoch is exhausted
-- (an identity survives restarts and is shared by instances).
INSERT INTO kafka_producer_ids DEFAULT VALUES RETURNING producer_id
