-- The messages table as V001/V003/V010 leave it (primary key, dedup and partition-offset indexes), for layout
-- experiments in a scratch database; and one sequence for offsets (the experiment needs unique, rising offsets per
-- log, not dense ones).
DROP TABLE IF EXISTS m CASCADE;
DROP SEQUENCE IF EXISTS s;
CREATE SEQUENCE s;
CREATE TABLE m (
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
    record_key      bytea,
    record_headers  bytea,
    record_timestamp bigint,
    end_position    bigint NOT NULL,
    PRIMARY KEY (queue_id, kafka_partition, log_offset)
);
CREATE UNIQUE INDEX m_dedup ON m (partition_id, transaction_id);
CREATE INDEX m_partition_offset ON m (partition_id, log_offset);

-- The retention purge's statement (messages_purge.sql), log by log, RETENTION_BATCH_SIZE rows per statement, each
-- its own transaction; keeps the newest `keep` offsets.
CREATE OR REPLACE PROCEDURE purge(keep bigint, batch int) LANGUAGE plpgsql AS $$
DECLARE
    n int;
    total bigint := 0;
    lim bigint;
    started timestamptz := clock_timestamp();
BEGIN
    SELECT last_value - keep INTO lim FROM s;
    FOR k IN 0..7 LOOP
        LOOP
            DELETE FROM m
            WHERE queue_id = '00000000-0000-0000-0000-000000000001' AND kafka_partition = k
              AND log_offset IN (SELECT d.log_offset FROM m d
                                 WHERE d.queue_id = '00000000-0000-0000-0000-000000000001'
                                   AND d.kafka_partition = k AND d.log_offset < lim
                                 ORDER BY d.log_offset LIMIT batch);
            GET DIAGNOSTICS n = ROW_COUNT;
            total := total + n;
            COMMIT;
            EXIT WHEN n < batch;
        END LOOP;
    END LOOP;
    RAISE NOTICE 'purged % rows in % ms', total,
        round(extract(epoch FROM clock_timestamp() - started) * 1000);
END
$$;
