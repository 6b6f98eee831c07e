-- Deletes up to $4 messages of one log below its start, oldest first, through the primary key: a short statement
-- that locks only the rows it deletes (nothing else writes them: appends add above the high watermark).
-- $1 queue id, $2 Kafka partition, $3 log start, $4 batch
DELETE FROM messages m
WHERE m.queue_id = $1 AND m.kafka_partition = $2
  AND m.log_offset IN (SELECT d.log_offset FROM messages d
                       WHERE d.queue_id = $1 AND d.kafka_partition = $2 AND d.log_offset < $3
                       ORDER BY d.log_offset
                       LIMIT $4)
