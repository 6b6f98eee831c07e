-- The queues that have a rule moving log starts: retention ($1 false: retentionSeconds with retentionEnabled,
-- Kafka's retention.ms or retention.bytes, unless the topic's cleanup.policy is compact alone: as in Kafka, they then
-- delete nothing) or eviction ($1 true: maxWaitTimeSeconds).
-- $1 eviction rules instead of retention rules
SELECT q.id
FROM queues q
WHERE CASE WHEN $1 THEN q.max_wait_time_seconds > 0
           ELSE (q.retention_enabled AND q.retention_seconds > 0)
                OR EXISTS (SELECT 1 FROM topic_configs c
                           WHERE c.queue_id = q.id AND c.name IN ('retention.ms', 'retention.bytes')
                             AND c.value::bigint >= 0
                             AND NOT EXISTS (SELECT 1 FROM topic_configs p
                                             WHERE p.queue_id = q.id AND p.name = 'cleanup.policy'
                                               AND p.value NOT LIKE '%delete%'))
      END
ORDER BY q.id
