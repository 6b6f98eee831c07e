-- messages_list.sql for the partitions of one name (in the queues matching the filters): each is read backwards
-- through its (partition, offset) index, so a small conversation inside a busy log costs only its own messages.
-- $1 queue, $2 namespace, $3 task, $4 status, $5 consumer group, $6 created at or after, $7 created before (null =
-- no filter), $8 limit + 1, $9 offset, $10 partition name
WITH parts AS (
    SELECT p.id, p.name, q.name AS queue_name, q.namespace, q.task
    FROM partitions p
    JOIN queues q ON q.id = p.queue_id
    WHERE p.name = $10 AND ($1::text IS NULL OR q.name = $1) AND ($2::text IS NULL OR q.namespace = $2)
      AND ($3::text IS NULL OR q.task = $3)
)
SELECT pt.queue_name, pt.namespace, pt.task, pt.name AS partition_name, m.id, m.transaction_id, m.partition_id,
       m.trace_id, m.created_at, m.status
FROM parts pt
CROSS JOIN LATERAL (
    SELECT m.id, m.transaction_id, m.partition_id, m.trace_id, m.created_at, s.status
    FROM messages m
    CROSS JOIN LATERAL (SELECT queen_message_status(m.partition_id, m.id, m.log_offset, now(), $5::text) AS status) s
    WHERE m.partition_id = pt.id
      AND ($6::timestamptz IS NULL OR m.created_at >= $6) AND ($7::timestamptz IS NULL OR m.created_at < $7)
      AND ($4::text IS NULL OR s.status = $4)
    ORDER BY m.log_offset DESC
    LIMIT $8::int + $9::int
) m
ORDER BY m.created_at DESC, m.id DESC
LIMIT $8 OFFSET $9
