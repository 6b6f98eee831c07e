-- Kafka consumer-group offsets (OffsetCommit/OffsetFetch): one row per (group, queue, Kafka partition), separate from
-- Queen's own cursors. Group membership lives in the coordinator's memory; what must survive a restart is here.
-- The foreign key forgets a topic's offsets with the queue: a queue created again is a new topic (new topic id).
CREATE TABLE kafka_group_offsets (
    group_id         text        NOT NULL,
    queue_id         uuid        NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    kafka_partition  int         NOT NULL,
    committed_offset bigint      NOT NULL,
    leader_epoch     int         NOT NULL,
    metadata         text        NOT NULL,
    committed_at     timestamptz NOT NULL,
    PRIMARY KEY (group_id, queue_id, kafka_partition)
);
CREATE INDEX kafka_group_offsets_queue ON kafka_group_offsets (queue_id);
