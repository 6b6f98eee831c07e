-- The bytes each Kafka partition's log holds, as Kafka's DescribeLogDirs reports a partition's size: from where its
-- first message at or after the log start begins to the log's end, in log positions (V010: a message's size as
-- LogRecord.size counts it); 0 for an empty log. Records below the log start count as gone even while retention has
-- not deleted their rows yet. One row per log of the named queues ($1 null: of every queue), in one round trip; each
-- log costs one primary-key probe, never a scan of its messages. Every row carries the database's name, and without
-- any log one row of nulls does.
-- $1 queue names, or null
SELECT current_database() AS database_name, s.name, s.kafka_partition, s.size_bytes
FROM (SELECT 1) AS one
LEFT JOIN (
    SELECT q.name, h.kafka_partition,
           CASE WHEN h.next_offset > h.log_start_offset THEN coalesce(h.next_position - first.start_position, 0)
                ELSE 0 END AS size_bytes
    FROM queues q
    JOIN log_heads h ON h.queue_id = q.id
    LEFT JOIN LATERAL (
        SELECT f.end_position - (coalesce(octet_length(f.payload), 0) + coalesce(octet_length(f.record_key), 0)
                                 + coalesce(octet_length(f.record_headers), 0) + 16) AS start_position
        FROM messages f
        WHERE f.queue_id = q.id AND f.kafka_partition = h.kafka_partition AND f.log_offset >= h.log_start_offset
        ORDER BY f.log_offset
        LIMIT 1
    ) first ON true
    WHERE $1::text[] IS NULL OR q.name = ANY ($1::text[])
) s ON true
ORDER BY s.name, s.kafka_partition
