-- A new idempotent producer id, never handed out before (an identity survives restarts and is shared by instances).
INSERT INTO kafka_producer_ids DEFAULT VALUES RETURNING producer_id
