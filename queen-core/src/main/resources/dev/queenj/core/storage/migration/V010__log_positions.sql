-- Byte positions in each log, as Kafka's segment files have: a message's end_position is the sum of the sizes of the
-- messages appended to its log up to and including it (a message's size: its payload, key and headers plus 16,
-- LogRecord.size; one deleted later keeps counting), and log_heads.next_position the end of the log's newest message. The append assigns them under the head lock that
-- assigns offsets; a fetch bounds its bytes by comparing two positions instead of summing sizes row by row.
ALTER TABLE log_heads ADD COLUMN next_position bigint NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN end_position bigint;

-- messages stored before: positioned from their log's oldest remaining message on
UPDATE messages m
SET end_position = p.end_position
FROM (SELECT queue_id, kafka_partition, log_offset,
             sum(coalesce(octet_length(payload), 0) + coalesce(octet_length(record_key), 0)
                 + coalesce(octet_length(record_headers), 0) + 16)
                 OVER (PARTITION BY queue_id, kafka_partition ORDER BY log_offset ROWS UNBOUNDED PRECEDING)
                 AS end_position
      FROM messages) p
WHERE m.queue_id = p.queue_id AND m.kafka_partition = p.kafka_partition AND m.log_offset = p.log_offset;

UPDATE log_heads h
SET next_position = e.end_position
FROM (SELECT queue_id, kafka_partition, max(end_position) AS end_position
      FROM messages GROUP BY queue_id, kafka_partition) e
WHERE h.queue_id = e.queue_id AND h.kafka_partition = e.kafka_partition;

ALTER TABLE messages ALTER COLUMN end_position SET NOT NULL;
