-- Locks the high-watermark rows an append will advance, in a fixed order so that concurrent appenders cannot
-- deadlock. The append statement runs after this one, so its snapshot sees every row committed by earlier holders.
SELECT 1
FROM log_heads
WHERE (queue_id, kafka_partition) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))
ORDER BY queue_id, kafka_partition
FOR UPDATE
