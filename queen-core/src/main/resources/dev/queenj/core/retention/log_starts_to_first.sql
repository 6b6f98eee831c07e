-- Moves the start of each named log up to its first remaining message (its high watermark when none remains), so
-- that ListOffsets(earliest) and Fetch agree with what is stored after deletions inside the log. The first message
-- and the high watermark come from one snapshot: a message appended after it lies at or past that high watermark.
-- Heads are locked in key order, as appends lock them.
-- $1 queue ids, $2 Kafka partitions
WITH firsts AS (
    SELECT h.queue_id, h.kafka_partition,
           coalesce((SELECT min(m.log_offset) FROM messages m
                     WHERE m.queue_id = h.queue_id AND m.kafka_partition = h.kafka_partition
                       AND m.log_offset >= h.log_start_offset), h.next_offset) AS first_offset
    FROM unnest($1::uuid[], $2::int[]) AS l(queue_id, kafka_partition)
    JOIN log_heads h ON h.queue_id = l.queue_id AND h.kafka_partition = l.kafka_partition
),
locked AS (
    SELECT h.queue_id, h.kafka_partition, f.first_offset
    FROM firsts f
    JOIN log_heads h ON h.queue_id = f.queue_id AND h.kafka_partition = f.kafka_partition
    WHERE h.log_start_offset < f.first_offset
    ORDER BY h.queue_id, h.kafka_partition
    FOR UPDATE OF h
)
UPDATE log_heads h
SET log_start_offset = greatest(h.log_start_offset, l.first_offset)
FROM locked l
WHERE h.queue_id = l.queue_id AND h.kafka_partition = l.kafka_partition
