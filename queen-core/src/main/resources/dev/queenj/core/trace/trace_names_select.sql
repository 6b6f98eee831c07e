-- One page of the trace names in use, most recently used first, with how many traces and messages each covers and
-- the number of all names: one row per name of the page, or a single row with only the total when the page is empty.
-- $1 limit, $2 offset
WITH names AS (
    SELECT n.trace_name, count(*) AS trace_count,
           count(DISTINCT (t.partition_id, t.transaction_id)) AS message_count, max(t.created_at) AS last_seen
    FROM message_trace_names n
    JOIN message_traces t ON t.id = n.trace_id
    GROUP BY n.trace_name
)
SELECT total.n AS total, page.*
FROM (SELECT count(*) AS n FROM names) total
LEFT JOIN LATERAL (SELECT * FROM names ORDER BY last_seen DESC, trace_name LIMIT $1 OFFSET $2) page ON true
ORDER BY page.last_seen DESC, page.trace_name
