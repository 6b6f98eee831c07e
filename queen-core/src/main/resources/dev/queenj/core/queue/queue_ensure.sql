-- Creates a queue with default options and its Kafka partition logs, unless it exists.
WITH created AS (
    INSERT INTO queues (id, name, namespace, task, kafka_partitions)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (name) DO NOTHING
    RETURNING id, kafka_partitions
)
INSERT INTO log_heads (queue_id, kafka_partition)
SELECT created.id, p FROM created, generate_series(0, created.kafka_partitions - 1) AS p
