-- One page of the traces filed under a name, oldest first, with their message's queue and partition and the number
-- of all of them: one row per trace of the page, or a single row with only the total when the page is empty.
-- $1 trace name, $2 limit, $3 offset
WITH named AS (
    SELECT t.id, t.transaction_id, t.partition_id, t.event_type, t.data, t.consumer_group, t.created_at, t.queue_id
    FROM message_trace_names n
    JOIN message_traces t ON t.id = n.trace_id
    WHERE n.trace_name = $1
)
SELECT total.n AS total, page.id, page.transaction_id, page.partition_id, page.event_type, page.data::text AS data,
       page.consumer_group, page.created_at, q.name AS queue_name, p.name AS partition_name,
       coalesce((SELECT array_agg(n.trace_name ORDER BY n.trace_name) FROM message_trace_names n
                 WHERE n.trace_id = page.id), '{}') AS trace_names
FROM (SELECT count(*) AS n FROM named) total
LEFT JOIN LATERAL (SELECT * FROM named ORDER BY created_at, id LIMIT $2 OFFSET $3) page ON true
LEFT JOIN queues q ON q.id = page.queue_id
LEFT JOIN partitions p ON p.id = page.partition_id
ORDER BY page.created_at, page.id
