-- Discovers what was appended to a queue since the group last looked, so that its pops can find their candidates in
-- the pending index: reads each log past the group's scan offset (at most $4 messages per log), raises head_offset
-- of the partitions those messages belong to (creating the group's cursor where it has none: after the last message
-- created before the subscription's start $3, else at the beginning) and moves the scan offsets past what was read.
-- Only logs with something new are locked; one that another pop is scanning right now is skipped, not waited on.
-- Answers how many logs of the queue have no scan row for the group yet (create them, then discover again) and
-- whether some log had more than $4 new messages (discover again before giving up on candidates).
-- Everything it writes can be found again by discovering again, so its commit does not wait for the WAL flush.
-- $1 queue id, $2 group, $3 subscription start (null = from the beginning), $4 messages per log
WITH relaxed AS MATERIALIZED (
    SELECT set_config('synchronous_commit', 'off', true)
),
scans AS (
    SELECT s.kafka_partition, s.scan_offset
    FROM group_log_scans s
    JOIN log_heads h ON h.queue_id = s.queue_id AND h.kafka_partition = s.kafka_partition
    WHERE s.queue_id = $1 AND s.consumer_group = $2 AND h.next_offset > s.scan_offset
    ORDER BY s.kafka_partition
    FOR UPDATE OF s SKIP LOCKED
),
seen AS (
    SELECT s.kafka_partition, m.partition_id, m.log_offset
    FROM scans s
    CROSS JOIN LATERAL (
        SELECT m.partition_id, m.log_offset
        FROM messages m
        WHERE m.queue_id = $1 AND m.kafka_partition = s.kafka_partition AND m.log_offset >= s.scan_offset
        ORDER BY m.log_offset
        LIMIT $4
    ) m
),
heads AS (
    SELECT partition_id, max(log_offset) AS head_offset FROM seen GROUP BY partition_id
),
registered AS (
    INSERT INTO partition_consumers AS pc (partition_id, consumer_group, queue_id, cursor_offset, head_offset)
    SELECT h.partition_id, $2, $1,
           -- the function answers -1 for a null start too, but called per row it costs a third of the statement
           CASE WHEN $3::timestamptz IS NULL THEN -1 ELSE queen_offset_before(h.partition_id, $3::timestamptz) END,
           h.head_offset
    FROM heads h
    -- in key order, so that concurrent discoveries and acks lock rows in the same order and cannot deadlock
    ORDER BY h.partition_id
    ON CONFLICT (partition_id, consumer_group) DO UPDATE
    SET head_offset = excluded.head_offset
    WHERE pc.head_offset < excluded.head_offset
),
read_up_to AS (
    SELECT kafka_partition, max(log_offset) + 1 AS next_offset, count(*) AS n FROM seen GROUP BY kafka_partition
),
advanced AS (
    UPDATE group_log_scans s
    SET scan_offset = r.next_offset
    FROM read_up_to r
    WHERE s.queue_id = $1 AND s.consumer_group = $2 AND s.kafka_partition = r.kafka_partition
)
SELECT (SELECT count(*) FROM log_heads WHERE queue_id = $1)
           - (SELECT count(*) FROM group_log_scans WHERE queue_id = $1 AND consumer_group = $2) AS unscanned_logs,
       coalesce((SELECT max(n) FROM read_up_to), 0) >= $4 AS more
FROM relaxed
