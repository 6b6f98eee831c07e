-- The payload is copied as stored: sealed under its key ($10, null when stored as sent), never decrypted here.
-- $11 the Queen partition's name and $12 the message's trace id, kept so the dead letter can be requeued (V024).
INSERT INTO dead_letters (queue_id, partition_id, message_id, transaction_id, consumer_group, error_message,
                          retry_count, payload, message_created_at, payload_key_id, partition_name, trace_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
