-- Deletes up to $4 messages that every group has consumed and that are older than $3 s, oldest first per partition,
-- through the (partition, offset) index. These leave gaps inside a log (other partitions' messages around them
-- stay), which readers skip; the log start moves past a deleted prefix afterwards (log_starts_to_first.sql).
-- Answers the logs the deleted messages belonged to.
-- $1 partition ids, $2 consumed up to (inclusive), $3 seconds, $4 batch
WITH doomed AS (
    SELECT m.partition_id, m.log_offset
    FROM unnest($1::uuid[], $2::bigint[]) AS f(partition_id, consumed_to)
    CROSS JOIN LATERAL (
        SELECT m.partition_id, m.log_offset
        FROM messages m
        WHERE m.partition_id = f.partition_id AND m.log_offset <= f.consumed_to
          AND m.created_at < now() - make_interval(secs => $3)
        ORDER BY m.log_offset
        LIMIT $4
    ) m
    LIMIT $4
)
DELETE FROM messages m
USING doomed d
WHERE m.partition_id = d.partition_id AND m.log_offset = d.log_offset
RETURNING m.queue_id, m.kafka_partition
