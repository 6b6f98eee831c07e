-- Raises a queue's Kafka partition count and adds the new logs; never lowers it. Existing Queen partitions keep their
-- Kafka partition (appends read it from their row); only Queen partitions written for the first time use the new count.
-- Only the missing high-watermark rows are inserted: touching the existing ones would wait for every in-flight append.
WITH grown AS (
    UPDATE queues SET kafka_partitions = $2
    WHERE name = $1 AND kafka_partitions < $2
    RETURNING id, kafka_partitions
),
heads AS (
    INSERT INTO log_heads (queue_id, kafka_partition)
    SELECT grown.id, p FROM grown, generate_series(0, grown.kafka_partitions - 1) AS p
    WHERE NOT EXISTS (SELECT 1 FROM log_heads h WHERE h.queue_id = grown.id AND h.kafka_partition = p)
    ON CONFLICT DO NOTHING
)
SELECT id FROM grown
