-- Appends a batch in one statement: dedup against stored messages and earlier items of the batch (first occurrence
-- wins), dense offsets from the locked high watermarks, the messages, and the partitions' newest offset. The Queen
-- and Kafka partitions come from the placement statement run just before (which also chose, for a Kafka record,
-- between its key's Queen partition and __kafka-partition-<N>).
-- Answers one row per input item, in input order, with the Queen partition it went to and its offset (null for a
-- duplicate).
WITH input AS (
    SELECT *
    FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::uuid[], $7::text[], $8::uuid[],
                $9::bytea[], $10::text[], $11::bytea[], $12::bytea[], $13::bigint[])
         AS t(ord, queue_id, partition_id, partition_name, kafka_partition, id, transaction_id, trace_id, payload,
              producer_sub, record_key, record_headers, record_timestamp)
),
ranked AS (
    SELECT i.*,
           stored.id AS stored_id,
           first_value(i.id) OVER (PARTITION BY i.partition_id, i.transaction_id ORDER BY i.ord) AS first_id
    FROM input i
    LEFT JOIN messages stored
           ON stored.partition_id = i.partition_id AND stored.transaction_id = i.transaction_id
),
fresh AS (
    SELECT r.*, row_number() OVER (PARTITION BY r.queue_id, r.kafka_partition ORDER BY r.ord) AS rank_in_log
    FROM ranked r
    WHERE r.stored_id IS NULL AND r.first_id = r.id
),
advanced AS (
    UPDATE log_heads h
    SET next_offset = h.next_offset + c.n
    FROM (SELECT queue_id, kafka_partition, count(*) AS n FROM fresh GROUP BY queue_id, kafka_partition) c
    WHERE h.queue_id = c.queue_id AND h.kafka_partition = c.kafka_partition
    RETURNING h.queue_id, h.kafka_partition, h.next_offset - c.n AS base_offset
),
appended AS (
    INSERT INTO messages (queue_id, kafka_partition, log_offset, partition_id, id, transaction_id, trace_id, payload,
                          producer_sub, record_key, record_headers, record_timestamp)
    SELECT f.queue_id, f.kafka_partition, a.base_offset + f.rank_in_log - 1, f.partition_id, f.id, f.transaction_id,
           f.trace_id, f.payload, f.producer_sub, f.record_key, f.record_headers, f.record_timestamp
    FROM fresh f
    JOIN advanced a ON a.queue_id = f.queue_id AND a.kafka_partition = f.kafka_partition
    RETURNING id, partition_id, log_offset
),
touched AS (
    INSERT INTO partitions AS p (id, queue_id, name, kafka_partition, last_offset, last_message_at)
    SELECT f.partition_id, f.queue_id, f.partition_name, f.kafka_partition, newest.log_offset, now()
    FROM (SELECT DISTINCT ON (partition_id) partition_id, queue_id, partition_name, kafka_partition
          FROM fresh ORDER BY partition_id) f
    JOIN (SELECT partition_id, max(log_offset) AS log_offset FROM appended GROUP BY partition_id) newest
      ON newest.partition_id = f.partition_id
    ON CONFLICT (id) DO UPDATE
    SET last_offset = greatest(p.last_offset, excluded.last_offset), last_message_at = excluded.last_message_at
    WHERE p.kafka_partition = excluded.kafka_partition
    RETURNING p.id
)
-- misplaced: the item's Queen partition was placed in another Kafka partition by an append that committed after
-- this one placed it (the count grew in between); the caller rolls back and tries again.
SELECT r.ord, coalesce(r.stored_id, r.first_id) AS message_id, (r.stored_id IS NULL AND r.first_id = r.id) AS queued,
       (r.stored_id IS NULL AND r.first_id = r.id AND r.partition_id NOT IN (SELECT id FROM touched)) AS misplaced,
       r.partition_id, a.log_offset
FROM ranked r
LEFT JOIN appended a ON a.id = r.id
ORDER BY r.ord
