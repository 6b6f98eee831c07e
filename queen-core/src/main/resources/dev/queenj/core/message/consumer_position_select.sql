-- Where each group with a cursor on a message's partition stands with that message: consumed (at or below its
-- cursor), in its live leased batch, and whether it gave up on it (its latest dead letter for the message).
-- $1 partition id, $2 message offset, $3 message id
SELECT pc.consumer_group, pc.cursor_offset >= $2 AS consumed,
       coalesce(pc.lease_expires_at > now() AND pc.cursor_offset < $2 AND pc.batch_last_offset >= $2, false)
           AS in_batch,
       pc.retry_count, pc.last_consumed_at, d.error_message, d.retry_count AS dead_letter_retry_count,
       d.failed_at
FROM partition_consumers pc
LEFT JOIN LATERAL (
    SELECT dl.error_message, dl.retry_count, dl.failed_at
    FROM dead_letters dl
    WHERE dl.partition_id = $1 AND dl.message_id = $3 AND dl.consumer_group = pc.consumer_group
    ORDER BY dl.failed_at DESC
    LIMIT 1
) d ON true
WHERE pc.partition_id = $1
ORDER BY pc.consumer_group
