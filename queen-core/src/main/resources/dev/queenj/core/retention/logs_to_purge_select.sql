-- The logs that still hold messages below their start: one probe of the messages primary key per log that was ever
-- trimmed.
SELECT h.queue_id, h.kafka_partition, h.log_start_offset
FROM log_heads h
WHERE h.log_start_offset > 0
  AND EXISTS (SELECT 1 FROM messages m
              WHERE m.queue_id = h.queue_id AND m.kafka_partition = h.kafka_partition
                AND m.log_offset < h.log_start_offset)
ORDER BY h.queue_id, h.kafka_partition
