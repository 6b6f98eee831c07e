-- Offsets of Kafka partitions by time, in one round trip. Per partition: its heads, and for a target >= 0 the first
-- record whose timestamp is >= target; for target -3 the record with the largest timestamp (the first of equals).
-- Records below the log start are gone even while the purge has not deleted their rows yet (RetentionService).
-- A record's timestamp is its Kafka CreateTime, else when it was stored (ms). Scans the partition's log in offset
-- order: there is no index on time, so that appends pay for none.
-- $1 queue names, $2 Kafka partitions, $3 targets, $4 position
SELECT r.ord, h.log_start_offset, h.next_offset,
       coalesce(by_time.log_offset, newest.log_offset) AS log_offset, coalesce(by_time.ts, newest.ts) AS ts
FROM unnest($1::text[], $2::int[], $3::bigint[], $4::int[]) AS r(queue_name, kafka_partition, target, ord)
JOIN queues q ON q.name = r.queue_name
JOIN log_heads h ON h.queue_id = q.id AND h.kafka_partition = r.kafka_partition
LEFT JOIN LATERAL (
    SELECT m.log_offset, t.ts
    FROM messages m
    CROSS JOIN LATERAL (
        SELECT coalesce(m.record_timestamp, floor(extract(epoch FROM m.created_at) * 1000)::bigint) AS ts) t
    WHERE r.target >= 0 AND m.queue_id = q.id AND m.kafka_partition = r.kafka_partition
      AND m.log_offset >= h.log_start_offset AND t.ts >= r.target
    ORDER BY m.log_offset
    LIMIT 1
) by_time ON true
LEFT JOIN LATERAL (
    SELECT m.log_offset, t.ts
    FROM messages m
    CROSS JOIN LATERAL (
        SELECT coalesce(m.record_timestamp, floor(extract(epoch FROM m.created_at) * 1000)::bigint) AS ts) t
    WHERE r.target = -3 AND m.queue_id = q.id AND m.kafka_partition = r.kafka_partition
      AND m.log_offset >= h.log_start_offset
    ORDER BY t.ts DESC, m.log_offset
    LIMIT 1
) newest ON true
ORDER BY r.ord
