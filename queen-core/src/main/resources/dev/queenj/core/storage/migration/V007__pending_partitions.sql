-- Wildcard pops find their candidates in an index instead of walking every partition of the queue.
--
-- head_offset is the newest offset of the partition that the group knows of; the partition has something for the
-- group while it is past the cursor. Both columns live in the same row, so whoever moves either one (pops discovering
-- new messages, acks, seeks) leaves the row in or out of the partial index consistently, under the row lock. The
-- index is ordered the way pops prefer partitions: least recently consumed first.
ALTER TABLE partition_consumers ADD COLUMN head_offset bigint NOT NULL DEFAULT -1;
UPDATE partition_consumers pc SET head_offset = p.last_offset FROM partitions p WHERE p.id = pc.partition_id;
CREATE INDEX partition_consumers_pending ON partition_consumers (queue_id, consumer_group, last_consumed_at NULLS FIRST)
    WHERE head_offset > cursor_offset;

-- How far each group has read each log of a queue to discover new messages: every message below scan_offset has
-- been accounted for in its partition's head_offset for the group. Appends commit in offset order within a log, so
-- nothing can appear below a position once it was read past. Rows are created on a group's first pop of the queue,
-- at the start of each log.
CREATE TABLE group_log_scans (
    queue_id        uuid   NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    consumer_group  text   NOT NULL,
    kafka_partition int    NOT NULL,
    scan_offset     bigint NOT NULL,
    PRIMARY KEY (queue_id, consumer_group, kafka_partition)
);
