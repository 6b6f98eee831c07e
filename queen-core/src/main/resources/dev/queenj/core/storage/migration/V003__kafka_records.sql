-- Kafka records in the one log. A row is Kafka-origin when record_timestamp is not null (a Kafka producer set it);
-- native pushes leave it null and their Kafka timestamp is created_at. record_key is the record's key bytes (for a
-- native push: the UTF-8 name of its Queen partition, so Kafka consumers see the conversation as the key).
-- record_headers holds a record's Kafka headers in Kafka's own record-header layout (see RecordHeaders in
-- kafka-wire): varint count, then per header varint key length, UTF-8 key, varint value length (-1 = null), value
-- bytes; null when the record has no headers. Nullable columns without defaults: adding them rewrites nothing.
ALTER TABLE messages ADD COLUMN record_key bytea;
ALTER TABLE messages ADD COLUMN record_headers bytea;
ALTER TABLE messages ADD COLUMN record_timestamp bigint;

-- Idempotent Kafka producers (InitProducerId). Ids are never reused, across restarts and instances.
CREATE TABLE kafka_producer_ids (
    producer_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Per (producer, queue, Kafka partition): the epoch, the last sequence, and the last five batches that were stored
-- (first sequence, last sequence, base offset; oldest first), so a retried batch is answered with its original
-- offset. Read and written in the append transaction, under the log head lock.
CREATE TABLE kafka_producer_state (
    producer_id     bigint   NOT NULL,
    queue_id        uuid     NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    kafka_partition int      NOT NULL,
    producer_epoch  smallint NOT NULL,
    last_sequence   int      NOT NULL,
    first_seqs      int[]    NOT NULL,
    last_seqs       int[]    NOT NULL,
    base_offsets    bigint[] NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (producer_id, queue_id, kafka_partition)
);
