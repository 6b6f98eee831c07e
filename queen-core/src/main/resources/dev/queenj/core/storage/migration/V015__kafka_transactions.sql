-- Kafka transactions (KIP-98, classic "v1" protocol) on Postgres transactions. A transactional producer's records and
-- offsets are staged here and become visible only when EndTxn(commit) appends them to the log in one Postgres
-- transaction; an abort, or the timeout, deletes them. Nothing of an open or aborted transaction ever reaches
-- `messages`, so every reader sees committed records only. All of it is shared state: any instance serves any
-- transactional id, fencing under the row lock of its kafka_transactions row.

-- One row per transactional.id: the producer id and epoch it was last given (InitProducerId bumps the epoch, fencing
-- older producers), where its current transaction stands, and since when.
CREATE TABLE kafka_transactions (
    transactional_id text        PRIMARY KEY,
    producer_id      bigint      NOT NULL,
    producer_epoch   smallint    NOT NULL,
    state            text        NOT NULL CHECK (state IN ('Empty', 'Ongoing', 'CompleteCommit', 'CompleteAbort')),
    timeout_ms       int         NOT NULL,
    started_at       timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
-- what the timeout task scans: open transactions, by when they started
CREATE INDEX kafka_transactions_ongoing ON kafka_transactions (started_at) WHERE state = 'Ongoing';

-- The partitions (AddPartitionsToTxn) and groups (AddOffsetsToTxn) of each open transaction.
CREATE TABLE kafka_txn_partitions (
    transactional_id text NOT NULL REFERENCES kafka_transactions (transactional_id) ON DELETE CASCADE,
    queue_id         uuid NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    kafka_partition  int  NOT NULL,
    PRIMARY KEY (transactional_id, queue_id, kafka_partition)
);
CREATE INDEX kafka_txn_partitions_queue ON kafka_txn_partitions (queue_id);
CREATE TABLE kafka_txn_groups (
    transactional_id text NOT NULL REFERENCES kafka_transactions (transactional_id) ON DELETE CASCADE,
    group_id         text NOT NULL,
    PRIMARY KEY (transactional_id, group_id)
);

-- Staged records, decoded, in the order they were produced (id): appended to their log on commit.
CREATE TABLE kafka_txn_records (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transactional_id text   NOT NULL REFERENCES kafka_transactions (transactional_id) ON DELETE CASCADE,
    queue_id         uuid   NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    kafka_partition  int    NOT NULL,
    partition_name   text,
    record_key       bytea,
    record_value     bytea,
    record_headers   bytea,
    record_timestamp bigint NOT NULL
);
CREATE INDEX kafka_txn_records_txn ON kafka_txn_records (transactional_id, id);
CREATE INDEX kafka_txn_records_queue ON kafka_txn_records (queue_id);

-- Staged consumer-group offsets (TxnOffsetCommit): stored into kafka_group_offsets on commit. While a group has one
-- here, OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT for that partition.
CREATE TABLE kafka_txn_offsets (
    transactional_id text   NOT NULL REFERENCES kafka_transactions (transactional_id) ON DELETE CASCADE,
    group_id         text   NOT NULL,
    queue_id         uuid   NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    kafka_partition  int    NOT NULL,
    committed_offset bigint NOT NULL,
    leader_epoch     int    NOT NULL,
    metadata         text   NOT NULL,
    PRIMARY KEY (transactional_id, group_id, queue_id, kafka_partition)
);
CREATE INDEX kafka_txn_offsets_group ON kafka_txn_offsets (group_id, queue_id, kafka_partition);
CREATE INDEX kafka_txn_offsets_queue ON kafka_txn_offsets (queue_id);
