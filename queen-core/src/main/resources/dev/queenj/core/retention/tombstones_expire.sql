-- One step of removing tombstones (records with a key and a null value) from a compacted log: looks at the next $4
-- offsets from where this last got ($3), below where compaction got (a tombstone must first have removed its key's
-- older records) and below the newest record (a log keeps its last record, as Kafka's active segment does, so a
-- fetch from any offset below the high watermark finds a record). Deletes the tombstones stored more than $5 ms ago
-- (delete.retention.ms, counted from when the tombstone was stored; beyond 1,000 years never) and stops at the first
-- younger one. Answers how
-- far it got (reached), the tombstones deleted and the end of what it could look at (reachable).
-- $1 queue id, $2 Kafka partition, $3 tombstones cleaned to, $4 offsets per step, $5 delete.retention.ms
WITH head AS (
    SELECT greatest($3, h.log_start_offset) AS lo,
           now() - make_interval(secs => least($5, 31536000000000) / 1000.0) AS expired_before,
           least(greatest($3, h.log_start_offset) + $4, c.cleaned_to, h.next_offset - 1) AS hi,
           least(c.cleaned_to, h.next_offset - 1) AS reachable
    FROM log_heads h
    JOIN log_compaction c ON c.queue_id = h.queue_id AND c.kafka_partition = h.kafka_partition
    WHERE h.queue_id = $1 AND h.kafka_partition = $2
),
tombstones AS (
    SELECT m.log_offset, m.created_at < h.expired_before AS expired
    FROM head h
    JOIN messages m ON m.queue_id = $1 AND m.kafka_partition = $2 AND m.log_offset >= h.lo AND m.log_offset < h.hi
    WHERE m.payload IS NULL AND m.record_key IS NOT NULL
),
young AS (
    SELECT min(log_offset) AS first_young FROM tombstones WHERE NOT expired
),
expired AS (
    DELETE FROM messages m
    USING tombstones t, young y
    WHERE m.queue_id = $1 AND m.kafka_partition = $2 AND m.log_offset = t.log_offset
      AND (y.first_young IS NULL OR t.log_offset < y.first_young)
    RETURNING m.log_offset
),
progress AS (
    UPDATE log_compaction c
    SET tombstones_to = greatest(c.tombstones_to, coalesce(y.first_young, h.hi))
    FROM head h, young y
    WHERE c.queue_id = $1 AND c.kafka_partition = $2 AND h.hi > h.lo
    RETURNING c.tombstones_to
)
SELECT coalesce((SELECT tombstones_to FROM progress), $3) AS reached, (SELECT count(*) FROM expired) AS deleted,
       (SELECT reachable FROM head) AS reachable
