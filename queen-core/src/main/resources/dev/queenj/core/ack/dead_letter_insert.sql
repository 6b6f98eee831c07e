-- The payload is copied as stored: sealed under its key ($10, null when stored as sent), never decrypted here.
INSERT INTO dead_letters (queue_id, partition_id, message_id, transaction_id, consumer_group, error_message,
                          retry_count, payload, message_created_at, payload_key_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
