-- Claims, reads and settles in one statement, so a pop needs no transaction of its own:
--   free     leases up to $3 of the candidates for the group; rows another pop is claiming right now are skipped,
--            never waited on, so a stalled or busy partition cannot delay anyone else;
--   picked   each claimed partition with the visible messages after its cursor, in claim order then offset order;
--   delivered those up to $8 in all, counted by a window rather than by joining CTE results to each other (with
--            100 claimed partitions such joins ran as nested loops and took half the statement's time);
--   settled  a claimed partition that delivered nothing is released at once; with autoAck the cursor jumps to the
--            last delivered message and no lease is kept; otherwise the lease covers the batch up to its last offset.
-- Answers one row per delivered message, plus one row without a message for each claimed partition that delivered
-- nothing. A lease lost in a crash only means its messages are delivered again, so without autoAck the commit does
-- not wait for the WAL flush; with autoAck the cursor moves for good and it does, like an ack.
-- $1 candidate partition ids in preference order, $2 group, $3 max partitions, $4 lease id, $5 lease seconds,
-- $6 worker id, $7 delayed processing s, $8 batch, $9 autoAck
WITH relaxed AS MATERIALIZED (
    SELECT set_config('synchronous_commit', CASE WHEN $9 THEN current_setting('synchronous_commit') ELSE 'off' END,
                      true)
),
free AS (
    -- candidates are probed through the primary key, never found by scanning the group: its size must not matter
    SELECT pc.partition_id, pc.cursor_offset, pc.retry_count, array_position($1::uuid[], pc.partition_id) AS ord
    FROM partition_consumers pc
    WHERE pc.partition_id = ANY($1::uuid[]) AND pc.consumer_group = $2
      AND (pc.lease_expires_at IS NULL OR pc.lease_expires_at <= now())
      AND (pc.visible_after IS NULL OR pc.visible_after <= now())
    ORDER BY ord
    LIMIT $3
    FOR UPDATE OF pc SKIP LOCKED
),
picked AS (
    -- each claimed partition with its visible messages, or alone when it has none, in delivery order: claim order,
    -- then offset order; counted as it goes, so that the batch cap falls where the delivery order reaches it
    SELECT f.partition_id, f.ord, f.retry_count, m.*,
           count(m.log_offset) OVER w AS counted,
           lag(f.ord) OVER w IS DISTINCT FROM f.ord AS first_of_partition
    FROM free f
    CROSS JOIN relaxed
    LEFT JOIN LATERAL (
        SELECT m.log_offset, m.id, m.transaction_id, m.trace_id, m.payload, m.payload_key_id, m.producer_sub,
               m.created_at, m.record_timestamp IS NOT NULL AS kafka_origin
        FROM messages m
        WHERE m.partition_id = f.partition_id
          AND m.log_offset > f.cursor_offset
          AND m.created_at <= now() - make_interval(secs => $7)
        ORDER BY m.log_offset
        LIMIT $8
    ) m ON true
    WINDOW w AS (ORDER BY f.ord, m.log_offset ROWS UNBOUNDED PRECEDING)
),
delivered AS (
    SELECT *, log_offset IS NOT NULL AND counted <= $8 AS delivers FROM picked
),
ends AS (
    SELECT partition_id, max(log_offset) FILTER (WHERE delivers) AS last_offset,
           count(*) FILTER (WHERE delivers) AS n
    FROM delivered
    GROUP BY partition_id
),
settled AS (
    UPDATE partition_consumers pc
    SET lease_id = CASE WHEN e.last_offset IS NULL OR $9 THEN NULL ELSE $4::uuid END,
        lease_expires_at = CASE WHEN e.last_offset IS NULL OR $9 THEN NULL
                                ELSE now() + make_interval(secs => $5) END,
        batch_last_offset = CASE WHEN $9 THEN NULL ELSE e.last_offset END,
        visible_after = NULL,
        worker_id = $6,
        cursor_offset = CASE WHEN $9 AND e.last_offset IS NOT NULL THEN greatest(pc.cursor_offset, e.last_offset)
                             ELSE pc.cursor_offset END,
        retry_count = CASE WHEN $9 AND e.last_offset IS NOT NULL THEN 0 ELSE pc.retry_count END,
        total_consumed = pc.total_consumed + CASE WHEN $9 THEN coalesce(e.n, 0) ELSE 0 END,
        last_consumed_at = CASE WHEN $9 AND e.n > 0 THEN now() ELSE pc.last_consumed_at END
    FROM ends e
    WHERE pc.partition_id = e.partition_id AND pc.consumer_group = $2
)
SELECT partition_id, retry_count, log_offset, id, transaction_id, trace_id, payload, payload_key_id, producer_sub,
       created_at, kafka_origin, ord
FROM delivered
WHERE delivers
UNION ALL
SELECT partition_id, retry_count, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ord
FROM delivered
WHERE first_of_partition AND NOT delivers
ORDER BY ord, log_offset
