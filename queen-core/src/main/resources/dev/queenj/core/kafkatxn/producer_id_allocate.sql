-- A producer id never handed out before, for a transactional id whose epoch is exhausted.
INSERT INTO kafka_producer_ids DEFAULT VALUES RETURNING producer_id
