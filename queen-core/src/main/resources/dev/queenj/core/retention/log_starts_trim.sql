-- DeleteRecords: moves the start of each named log to the given offset (-1: its high watermark), never back; an
-- offset past the high watermark changes nothing. The messages below are deleted afterwards, in batches. Heads are
-- locked in key order, as appends lock them. A log of a topic whose cleanup.policy is compact without delete is left
-- as it is (Kafka refuses DeleteRecords there).
-- Answers per request (by $4): whether the log exists, whether its policy forbids deleting, and its start after the
-- request when it moved or already was there (null: the offset lies past the high watermark, or deleting is
-- forbidden).
-- $1 queue names, $2 Kafka partitions, $3 offsets, $4 position
WITH requested AS (
    SELECT r.ord, q.id AS queue_id, r.kafka_partition, r.target
    FROM unnest($1::text[], $2::int[], $3::bigint[], $4::int[]) AS r(queue_name, kafka_partition, target, ord)
    JOIN queues q ON q.name = r.queue_name
    WHERE NOT EXISTS (SELECT 1 FROM topic_configs c
                      WHERE c.queue_id = q.id AND c.name = 'cleanup.policy' AND c.value NOT LIKE '%delete%')
),
locked AS (
    SELECT r.ord, h.queue_id, h.kafka_partition,
           CASE WHEN r.target = -1 THEN h.next_offset ELSE r.target END AS log_start
    FROM requested r
    JOIN log_heads h ON h.queue_id = r.queue_id AND h.kafka_partition = r.kafka_partition
    WHERE r.target >= -1 AND r.target <= h.next_offset
    ORDER BY h.queue_id, h.kafka_partition
    FOR UPDATE OF h
),
trimmed AS (
    UPDATE log_heads h
    SET log_start_offset = greatest(h.log_start_offset, l.log_start)
    FROM (SELECT queue_id, kafka_partition, max(log_start) AS log_start FROM locked
          GROUP BY queue_id, kafka_partition) l
    WHERE h.queue_id = l.queue_id AND h.kafka_partition = l.kafka_partition
    RETURNING h.queue_id, h.kafka_partition, h.log_start_offset
)
SELECT r.ord, h.queue_id IS NOT NULL AS known,
       EXISTS (SELECT 1 FROM topic_configs c
               WHERE c.queue_id = q.id AND c.name = 'cleanup.policy' AND c.value NOT LIKE '%delete%') AS compact_only,
       CASE WHEN l.ord IS NOT NULL THEN greatest(t.log_start_offset, h.log_start_offset) END AS log_start_offset,
       h.queue_id, h.kafka_partition
FROM unnest($1::text[], $2::int[], $3::bigint[], $4::int[]) AS r(queue_name, kafka_partition, target, ord)
LEFT JOIN queues q ON q.name = r.queue_name
LEFT JOIN log_heads h ON h.queue_id = q.id AND h.kafka_partition = r.kafka_partition
LEFT JOIN locked l ON l.ord = r.ord
LEFT JOIN trimmed t ON t.queue_id = h.queue_id AND t.kafka_partition = h.kafka_partition
ORDER BY r.ord
