-- One page of messages (no payloads), newest first, of the queues matching the filters. Bounded: each log of those
-- queues is read backwards through its primary key and yields at most limit + offset + 1 matching messages, so the
-- work is (logs) x (page end), not the size of the log; the status of each message read is one index probe into
-- partition_consumers and one into dead_letters. Only a filter that matches rarely (a status few messages have, a
-- `to` far in the past) makes the read go further back in a log.
-- $1 queue, $2 namespace, $3 task, $4 status, $5 consumer group, $6 created at or after, $7 created before (null =
-- no filter), $8 limit + 1, $9 offset
WITH logs AS (
    SELECT q.id AS queue_id, q.name AS queue_name, q.namespace, q.task, h.kafka_partition
    FROM queues q
    JOIN log_heads h ON h.queue_id = q.id
    WHERE ($1::text IS NULL OR q.name = $1) AND ($2::text IS NULL OR q.namespace = $2)
      AND ($3::text IS NULL OR q.task = $3)
)
SELECT l.queue_name, l.namespace, l.task, p.name AS partition_name, m.id, m.transaction_id, m.partition_id,
       m.trace_id, m.created_at, m.status
FROM logs l
CROSS JOIN LATERAL (
    SELECT m.id, m.transaction_id, m.partition_id, m.trace_id, m.created_at, s.status
    FROM messages m
    CROSS JOIN LATERAL (SELECT queen_message_status(m.partition_id, m.id, m.log_offset, now(), $5::text) AS status) s
    WHERE m.queue_id = l.queue_id AND m.kafka_partition = l.kafka_partition
      AND ($6::timestamptz IS NULL OR m.created_at >= $6) AND ($7::timestamptz IS NULL OR m.created_at < $7)
      AND ($4::text IS NULL OR s.status = $4)
    ORDER BY m.log_offset DESC
    LIMIT $8::int + $9::int
) m
JOIN partitions p ON p.id = m.partition_id
ORDER BY m.created_at DESC, m.id DESC
LIMIT $8 OFFSET $9
