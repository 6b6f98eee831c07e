-- Raises a queue's Kafka partition count and adds the new logs; never lowers it. Existing Queen partitions keep their
-- Kafka partition (appends read it from their row); only Queen partitions written for the first time use the new count.
WITH grown AS (
    UPDATE queues SET kafka_partitions = $2
    WHERE name = $1 AND kafka_partitions < $2
    RETURNING id, kafka_partitions
),
heads AS (
    INSERT INTO log_heads (queue_id, kafka_partition)
    SELECT grown.id, p FROM grown, generate_series(0, grown.kafka_partitions - 1) AS p
    ON CONFLICT DO NOTHING
)
SELECT id FROM grown
