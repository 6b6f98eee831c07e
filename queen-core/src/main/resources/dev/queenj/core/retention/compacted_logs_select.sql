-- The logs of compacted topics (cleanup.policy containing compact) with work left: records the cleaner has not
-- looked at yet, or tombstones it has not seen expire. Where the cleaner got is never below the log start (what
-- retention removed needs no cleaning). With the topic's min.compaction.lag.ms and delete.retention.ms (Kafka's
-- defaults when not set).
WITH logs AS (
    SELECT h.queue_id, h.kafka_partition, h.next_offset,
           greatest(coalesce(s.cleaned_to, 0), h.log_start_offset) AS cleaned_to,
           greatest(coalesce(s.tombstones_to, 0), h.log_start_offset) AS tombstones_to,
           coalesce(lag.value::bigint, 0) AS min_lag_ms,
           coalesce(dr.value::bigint, 86400000) AS delete_retention_ms
    FROM topic_configs c
    JOIN log_heads h ON h.queue_id = c.queue_id
    LEFT JOIN log_compaction s ON s.queue_id = h.queue_id AND s.kafka_partition = h.kafka_partition
    LEFT JOIN topic_configs lag ON lag.queue_id = c.queue_id AND lag.name = 'min.compaction.lag.ms'
    LEFT JOIN topic_configs dr ON dr.queue_id = c.queue_id AND dr.name = 'delete.retention.ms'
    WHERE c.name = 'cleanup.policy' AND c.value LIKE '%compact%'
)
SELECT queue_id, kafka_partition, cleaned_to, tombstones_to, min_lag_ms, delete_retention_ms
FROM logs
WHERE cleaned_to < next_offset OR tombstones_to < least(cleaned_to, next_offset - 1)
ORDER BY queue_id, kafka_partition
