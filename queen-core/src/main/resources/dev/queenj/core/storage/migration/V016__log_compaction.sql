-- How far the compaction cleaner got in each log of a compacted topic (cleanup.policy containing compact), as Kafka's
-- cleaner-offset-checkpoint records it: every record below cleaned_to has had its older records of the same key
-- removed, and every tombstone below tombstones_to that outlived delete.retention.ms was removed. Written only by
-- the cleaner, never by appends, so the log head row that appends lock stays untouched.
CREATE TABLE log_compaction (
    queue_id        uuid   NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    kafka_partition int    NOT NULL,
    cleaned_to      bigint NOT NULL,
    tombstones_to   bigint NOT NULL,
    PRIMARY KEY (queue_id, kafka_partition)
);
