SELECT id, name, namespace, task, kafka_partitions, topic_id, lease_time, retry_limit, retry_delay, max_size, ttl,
       dead_letter_queue, dlq_after_max_retries, priority, delayed_processing, window_buffer, retention_seconds,
       completed_retention_seconds, retention_enabled, encryption_enabled, max_wait_time_seconds, created_at
FROM queues
WHERE topic_id = ANY($1)
ORDER BY name
