-- Queues: a Kafka topic is a Queen queue. Options are typed columns so that pop/ack SQL can join them.
CREATE TABLE queues (
    id                          uuid PRIMARY KEY,
    name                        text NOT NULL UNIQUE,
    namespace                   text NOT NULL DEFAULT '',
    task                        text NOT NULL DEFAULT '',
    kafka_partitions            int  NOT NULL,
    lease_time                  int  NOT NULL DEFAULT 300,
    retry_limit                 int  NOT NULL DEFAULT 3,
    retry_delay                 int  NOT NULL DEFAULT 1000,
    max_size                    int  NOT NULL DEFAULT 0,
    ttl                         int  NOT NULL DEFAULT 3600,
    dead_letter_queue           boolean NOT NULL DEFAULT false,
    dlq_after_max_retries       boolean NOT NULL DEFAULT false,
    priority                    int  NOT NULL DEFAULT 0,
    delayed_processing          int  NOT NULL DEFAULT 0,
    window_buffer               int  NOT NULL DEFAULT 0,
    retention_seconds           int  NOT NULL DEFAULT 0,
    completed_retention_seconds int  NOT NULL DEFAULT 0,
    retention_enabled           boolean NOT NULL DEFAULT false,
    encryption_enabled          boolean NOT NULL DEFAULT false,
    max_wait_time_seconds       int  NOT NULL DEFAULT 0,
    created_at                  timestamptz NOT NULL DEFAULT now()
);

-- One row per Kafka partition of a queue: the high watermark. Appends lock this row, so offsets are dense and
-- offset order is commit order (never a sequence: sequences commit out of order).
CREATE TABLE log_heads (
    queue_id         uuid   NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    kafka_partition  int    NOT NULL,
    next_offset      bigint NOT NULL DEFAULT 0,
    log_start_offset bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (queue_id, kafka_partition)
);

-- Queen partitions (conversations). The id is derived from (queue id, name), so pushes need no lookup.
-- last_offset / last_message_at are updated by every append and are not indexed, so those updates stay HOT.
CREATE TABLE partitions (
    id              uuid PRIMARY KEY,
    queue_id        uuid NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    name            text NOT NULL,
    kafka_partition int  NOT NULL,
    last_offset     bigint NOT NULL DEFAULT -1,
    last_message_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (queue_id, name)
);

-- The log. Three indexes, each one paid on insert: the Kafka view (queue, kafka partition, offset), dedup
-- (partition, transaction id) and the Queen view (partition, offset). No foreign keys on the hot insert path.
CREATE TABLE messages (
    queue_id        uuid   NOT NULL,
    kafka_partition int    NOT NULL,
    log_offset      bigint NOT NULL,
    partition_id    uuid   NOT NULL,
    id              uuid   NOT NULL,
    transaction_id  text   NOT NULL,
    trace_id        uuid,
    payload         bytea,
    producer_sub    text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (queue_id, kafka_partition, log_offset)
);
CREATE UNIQUE INDEX messages_dedup ON messages (partition_id, transaction_id);
CREATE INDEX messages_partition_offset ON messages (partition_id, log_offset);

-- Cursor and lease slot per (Queen partition, consumer group). Frequently updated columns are not indexed.
CREATE TABLE partition_consumers (
    partition_id      uuid   NOT NULL,
    consumer_group    text   NOT NULL,
    queue_id          uuid   NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    cursor_offset     bigint NOT NULL DEFAULT -1,
    lease_id          uuid,
    lease_expires_at  timestamptz,
    batch_last_offset bigint,
    retry_count       int    NOT NULL DEFAULT 0,
    visible_after     timestamptz,
    worker_id         text,
    last_consumed_at  timestamptz,
    total_consumed    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (partition_id, consumer_group)
);
CREATE INDEX partition_consumers_group ON partition_consumers (consumer_group, queue_id);

-- Where a consumer group starts on a queue, decided once on its first pop (null start_at = from the beginning).
CREATE TABLE group_subscriptions (
    consumer_group text NOT NULL,
    queue_id       uuid NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    mode           text NOT NULL,
    start_at       timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, queue_id)
);

CREATE TABLE dead_letters (
    id             bigserial PRIMARY KEY,
    queue_id       uuid NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    partition_id   uuid NOT NULL,
    message_id     uuid NOT NULL,
    transaction_id text NOT NULL,
    consumer_group text NOT NULL,
    error_message  text,
    retry_count    int  NOT NULL DEFAULT 0,
    payload        bytea,
    message_created_at timestamptz NOT NULL,
    failed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letters_queue ON dead_letters (queue_id, failed_at);
