-- Where each log should start under its queue's time and size rules: the first offset at or after the log start
-- whose message must be kept, looking at most $2 offsets ahead (the boundary is then the end of that window, and the
-- caller asks again). A log whose every message is expired starts at its high watermark, as Kafka's may.
-- Rules: retention ($1 false): Queen's retentionSeconds (when retentionEnabled) and Kafka's retention.ms, the
-- shorter wins (Kafka's only when the topic's cleanup.policy has delete, as all topics without one do); Kafka's
-- retention.bytes (likewise) keeps the newest messages that fit whole in that many bytes of the log
-- (in log positions, V010; a message's size as LogRecord.size counts it), so a log never holds more.
-- A retention.ms beyond 1,000 years is never reached (Debezium and Kafka Streams set Long.MAX_VALUE), and stays
-- within the timestamps Postgres can subtract.
-- Eviction ($1 true): Queen's maxWaitTimeSeconds. Time counts from when a message was stored (created_at), whatever
-- timestamp a Kafka producer set: it is what orders a log, so a prefix of the log expires.
-- A plain read, no locks: the boundary only ever grows with time and appends (messages age, the log's end moves
-- on), so it is still right when the caller applies it; messages appended after this snapshot lie past the
-- snapshot's high watermark, which bounds the boundary.
-- $1 eviction rules instead of retention rules, $2 offsets looked at per log at most, $3 the queue (one per
-- statement, so that a statement reads at most its logs times $2 rows)
WITH rules AS (
    SELECT q.id AS queue_id,
           CASE WHEN $1 THEN CASE WHEN q.max_wait_time_seconds > 0
                                  THEN now() - make_interval(secs => q.max_wait_time_seconds) END
                ELSE greatest(CASE WHEN q.retention_enabled AND q.retention_seconds > 0
                                   THEN now() - make_interval(secs => q.retention_seconds) END,
                              CASE WHEN ms.value::bigint >= 0 AND coalesce(cp.value LIKE '%delete%', true)
                                   THEN now() - make_interval(secs => least(ms.value::bigint, 31536000000000) / 1000.0)
                              END)
           END AS cutoff,
           CASE WHEN NOT $1 AND rb.value::bigint >= 0 AND coalesce(cp.value LIKE '%delete%', true)
                THEN rb.value::bigint END AS keep_bytes
    FROM queues q
    LEFT JOIN topic_configs ms ON ms.queue_id = q.id AND ms.name = 'retention.ms'
    LEFT JOIN topic_configs rb ON rb.queue_id = q.id AND rb.name = 'retention.bytes'
    LEFT JOIN topic_configs cp ON cp.queue_id = q.id AND cp.name = 'cleanup.policy'
    WHERE q.id = $3
),
bounded AS (
    SELECT h.queue_id, h.kafka_partition, h.log_start_offset,
           coalesce(kept.log_offset, least(h.log_start_offset + $2, h.next_offset)) AS boundary
    FROM rules r
    JOIN log_heads h ON h.queue_id = r.queue_id
    LEFT JOIN LATERAL (
        SELECT m.log_offset
        FROM messages m
        WHERE m.queue_id = h.queue_id AND m.kafka_partition = h.kafka_partition
          AND m.log_offset >= h.log_start_offset AND m.log_offset < h.log_start_offset + $2
          AND (r.cutoff IS NULL OR m.created_at >= r.cutoff)
          AND (r.keep_bytes IS NULL
               OR m.end_position - (coalesce(octet_length(m.payload), 0) + coalesce(octet_length(m.record_key), 0)
                                    + coalesce(octet_length(m.record_headers), 0) + 16)
                  >= h.next_position - r.keep_bytes)
        ORDER BY m.log_offset
        LIMIT 1
    ) kept ON true
    WHERE (r.cutoff IS NOT NULL OR r.keep_bytes IS NOT NULL) AND h.next_offset > h.log_start_offset
)
SELECT queue_id, kafka_partition, boundary, boundary = log_start_offset + $2 AS more
FROM bounded
WHERE boundary > log_start_offset
