-- One step of compacting a log: reads the next $4 offsets from where the cleaner got ($3) through the primary key,
-- and deletes every record of the log older than the newest record of its key read there. A key's records are found
-- through the (partition id, offset) index: a keyed Kafka record lives in the Queen partition named by its key
-- (native pushes are keyed by their Queen partition), so that index holds a key's records together; records that
-- share a fallback partition (keys that are not UTF-8, or produced into another Kafka partition than their name's)
-- are told apart by their key. Within one log a key's records are all in one of the two (placement is sticky),
-- unless partitions were added to the topic in between; each is then compacted on its own. Records stored less
-- than $5 ms ago (min.compaction.lag.ms) are left for a later step, and so is everything after the first of them.
-- Records without a key (stored before the topic became compacted) are kept. An age beyond 1,000 years is never
-- reached (Kafka Streams sets Long.MAX_VALUE), and stays within the timestamps Postgres can subtract. Moves where
-- the cleaner got in the same statement. Answers it (reached), the records deleted, and the high watermark read
-- (reachable).
-- $1 queue id, $2 Kafka partition, $3 cleaned to, $4 offsets per step, $5 min.compaction.lag.ms
WITH head AS (
    SELECT h.log_start_offset, h.next_offset, greatest($3, h.log_start_offset) AS lo,
           now() - make_interval(secs => least($5, 31536000000000) / 1000.0) AS ripe_before,
           least(greatest($3, h.log_start_offset) + $4, h.next_offset) AS hi
    FROM log_heads h
    WHERE h.queue_id = $1 AND h.kafka_partition = $2
),
window_read AS (
    SELECT m.log_offset, m.partition_id, m.record_key,
           m.created_at < h.ripe_before AS ripe
    FROM head h
    JOIN messages m ON m.queue_id = $1 AND m.kafka_partition = $2 AND m.log_offset >= h.lo AND m.log_offset < h.hi
),
young AS (
    SELECT min(log_offset) AS first_young FROM window_read WHERE NOT ripe
),
latest AS (
    SELECT w.partition_id, w.record_key, max(w.log_offset) AS latest_offset
    FROM window_read w, young y
    WHERE w.record_key IS NOT NULL AND (y.first_young IS NULL OR w.log_offset < y.first_young)
    GROUP BY w.partition_id, w.record_key
),
superseded AS (
    DELETE FROM messages m
    USING latest l, head h
    WHERE m.partition_id = l.partition_id AND m.log_offset < l.latest_offset AND m.record_key = l.record_key
      AND m.queue_id = $1 AND m.kafka_partition = $2 AND m.created_at < h.ripe_before
    RETURNING m.log_offset
),
progress AS (
    INSERT INTO log_compaction AS c (queue_id, kafka_partition, cleaned_to, tombstones_to)
    SELECT $1, $2, coalesce(y.first_young, h.hi), h.log_start_offset
    FROM head h, young y
    ON CONFLICT (queue_id, kafka_partition) DO UPDATE SET cleaned_to = greatest(c.cleaned_to, excluded.cleaned_to)
    RETURNING c.cleaned_to
)
SELECT (SELECT cleaned_to FROM progress) AS reached, (SELECT count(*) FROM superseded) AS deleted,
       (SELECT next_offset FROM head) AS reachable
