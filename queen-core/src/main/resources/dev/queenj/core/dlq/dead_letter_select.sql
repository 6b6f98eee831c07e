-- One page of dead letters, newest failure first, and the number of all that match: one row per dead letter of the
-- page, or a single row with only the total when the page is empty (so the total survives paging past the end).
-- $1 queue name, $2 group, $3 partition name, $4 failed at or after, $5 failed before; null = no filter
-- $6 limit, $7 offset
WITH matching AS (
    SELECT d.id, d.message_id, d.transaction_id, d.partition_id, q.name AS queue_name,
           coalesce(p.name, d.partition_name) AS partition_name,
           d.consumer_group, d.error_message, d.retry_count, d.payload, d.payload_key_id, d.message_created_at,
           d.failed_at
    FROM dead_letters d
    JOIN queues q ON q.id = d.queue_id
    LEFT JOIN partitions p ON p.id = d.partition_id
    WHERE ($1::text IS NULL OR q.name = $1)
      AND ($2::text IS NULL OR d.consumer_group = $2)
      AND ($3::text IS NULL OR coalesce(p.name, d.partition_name) = $3)
      AND ($4::timestamptz IS NULL OR d.failed_at >= $4)
      AND ($5::timestamptz IS NULL OR d.failed_at < $5)
)
SELECT total.n AS total, page.*
FROM (SELECT count(*) AS n FROM matching) total
LEFT JOIN LATERAL (
    SELECT * FROM matching ORDER BY failed_at DESC, id DESC LIMIT $6 OFFSET $7
) page ON true
ORDER BY page.failed_at DESC, page.id DESC
