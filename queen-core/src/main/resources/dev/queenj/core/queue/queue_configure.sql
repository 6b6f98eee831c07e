-- Creates the queue or overwrites every option of an existing one (configure is not a merge).
WITH upserted AS (
    INSERT INTO queues (id, name, namespace, task, kafka_partitions, lease_time, retry_limit, retry_delay, max_size,
                        ttl, dead_letter_queue, dlq_after_max_retries, priority, delayed_processing, window_buffer,
                        retention_seconds, completed_retention_seconds, retention_enabled, encryption_enabled,
                        max_wait_time_seconds)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
    ON CONFLICT (name) DO UPDATE SET
        namespace = excluded.namespace, task = excluded.task, lease_time = excluded.lease_time,
        retry_limit = excluded.retry_limit, retry_delay = excluded.retry_delay, max_size = excluded.max_size,
        ttl = excluded.ttl, dead_letter_queue = excluded.dead_letter_queue,
        dlq_after_max_retries = excluded.dlq_after_max_retries, priority = excluded.priority,
        delayed_processing = excluded.delayed_processing, window_buffer = excluded.window_buffer,
        retention_seconds = excluded.retention_seconds,
        completed_retention_seconds = excluded.completed_retention_seconds,
        retention_enabled = excluded.retention_enabled, encryption_enabled = excluded.encryption_enabled,
        max_wait_time_seconds = excluded.max_wait_time_seconds
    RETURNING id, kafka_partitions
),
heads AS (
    INSERT INTO log_heads (queue_id, kafka_partition)
    SELECT upserted.id, p FROM upserted, generate_series(0, upserted.kafka_partitions - 1) AS p
    ON CONFLICT DO NOTHING
)
SELECT id FROM upserted
