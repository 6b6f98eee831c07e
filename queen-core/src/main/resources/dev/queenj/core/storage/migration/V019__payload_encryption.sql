-- Encryption at rest (queues with encryption_enabled): the id of the key a payload was sealed with, stored beside it;
-- null = the payload is stored as it was sent. The stored bytes alone cannot say (a Kafka value may be any bytes), so
-- plaintext and ciphertext are told apart by this column only. Rows of a queue switched on or off keep the form they
-- were stored in. Nullable columns without defaults: adding them rewrites nothing.
ALTER TABLE messages ADD COLUMN payload_key_id int;
ALTER TABLE dead_letters ADD COLUMN payload_key_id int;
ALTER TABLE kafka_txn_records ADD COLUMN record_value_key_id int;
