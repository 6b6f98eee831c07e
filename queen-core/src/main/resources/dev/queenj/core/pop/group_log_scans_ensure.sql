-- Starts the group's discovery of a queue: one scan row per log, at the log's start, for logs it has none on yet
-- (a new group, logs added since, or a group deleted meanwhile).
-- $1 queue id, $2 group
INSERT INTO group_log_scans (queue_id, consumer_group, kafka_partition, scan_offset)
SELECT h.queue_id, $2, h.kafka_partition, h.log_start_offset
FROM log_heads h
WHERE h.queue_id = $1
ON CONFLICT DO NOTHING
