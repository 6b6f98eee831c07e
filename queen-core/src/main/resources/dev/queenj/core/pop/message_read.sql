-- The visible messages after each claimed cursor, in claim order then offset order, at most $4 in all.
-- $1 partition ids, $2 cursors, $3 delayed processing s, $4 batch
SELECT c.partition_id, m.log_offset, m.id, m.transaction_id, m.trace_id, m.payload, m.producer_sub, m.created_at
FROM unnest($1::uuid[], $2::bigint[]) WITH ORDINALITY AS c(partition_id, cursor_offset, ord)
CROSS JOIN LATERAL (
    SELECT *
    FROM messages m
    WHERE m.partition_id = c.partition_id
      AND m.log_offset > c.cursor_offset
      AND m.created_at <= now() - make_interval(secs => $3)
    ORDER BY m.log_offset
    LIMIT $4
) m
ORDER BY c.ord, m.log_offset
LIMIT $4
