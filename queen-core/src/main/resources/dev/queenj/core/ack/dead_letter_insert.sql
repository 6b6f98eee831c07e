INSERT INTO dead_letters (queue_id, partition_id, message_id, transaction_id, consumer_group, error_message,
                          retry_count, payload, message_created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
