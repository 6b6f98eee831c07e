-- Moves log starts forward (never back). Heads are locked in key order, as appends lock them, so the two cannot
-- deadlock; one short statement, so an append waits at most for it.
-- $1 queue ids, $2 Kafka partitions, $3 new log starts
WITH locked AS (
    SELECT h.queue_id, h.kafka_partition, r.log_start
    FROM unnest($1::uuid[], $2::int[], $3::bigint[]) AS r(queue_id, kafka_partition, log_start)
    JOIN log_heads h ON h.queue_id = r.queue_id AND h.kafka_partition = r.kafka_partition
    WHERE h.log_start_offset < r.log_start
    ORDER BY h.queue_id, h.kafka_partition
    FOR UPDATE OF h
)
UPDATE log_heads h
SET log_start_offset = greatest(h.log_start_offset, l.log_start)
FROM locked l
WHERE h.queue_id = l.queue_id AND h.kafka_partition = l.kafka_partition
