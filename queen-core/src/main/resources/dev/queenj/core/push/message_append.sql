-- Appends a batch in one statement, so that outside a transaction it is one round trip and one commit. The caller
-- has placed every item in a log, removed duplicates within the batch and ranked the items of each log (0, 1, ...);
-- this statement assigns offsets from the locked high watermarks, stores the messages and moves the partitions'
-- newest offset.
--   dups      items with a client transaction id already stored in their Queen partition. When there is any,
--             nothing is written and only they are answered: the caller drops them, ranks again and runs again.
--   locked    the high watermarks of the logs, locked in a fixed order so that concurrent appends cannot deadlock.
--             A lock waited for returns the newest row, so offsets stay dense whatever committed meanwhile. The
--             queue must still have the Kafka partition count the caller placed new Queen partitions over.
--   touched   a Queen partition that exists keeps the log its row names; the caller's placement must agree.
-- A placement that disagrees with a stored one (QJ001), or a queue deleted or grown since the caller resolved it
-- (QJ002), aborts the whole statement through queen_abort: a statement stores every item or none.
-- Items: $1 log (index into the logs), $2 rank in its log, $3 Queen partition, $4 id, $5 transaction id,
--   $6 trace id, $7 payload, $8 producer sub, $9 record key, $10 record headers, $11 record timestamp.
-- Logs: $12 queue ids, $13 Kafka partitions, $14 items appended to each, $15 the queues' Kafka partition counts.
-- Queen partitions written: $16 ids, $17 names, $18 their log, $19 the rank of their newest item.
-- Items to check for stored duplicates: $20 item index, $21 Queen partition, $22 transaction id.
-- Kafka records sent to their fallback partition because their key's partition lives elsewhere: $23 that key's
--   partition, $24 the Kafka partition it must not live in.
WITH dups AS (
    SELECT c.ord, m.id
    FROM unnest($20::int[], $21::uuid[], $22::text[]) AS c(ord, partition_id, transaction_id)
    JOIN messages m ON m.partition_id = c.partition_id AND m.transaction_id = c.transaction_id
),
locked AS (
    SELECT l.ord, h.queue_id, h.kafka_partition, h.next_offset, l.n
    FROM unnest($12::uuid[], $13::int[], $14::int[], $15::int[]) WITH ORDINALITY
         AS l(queue_id, kafka_partition, n, partition_count, ord)
    JOIN queues q ON q.id = l.queue_id AND q.kafka_partitions = l.partition_count
    JOIN log_heads h ON h.queue_id = l.queue_id AND h.kafka_partition = l.kafka_partition
    WHERE NOT EXISTS (SELECT 1 FROM dups)
    ORDER BY h.queue_id, h.kafka_partition
    FOR UPDATE OF h
),
advanced AS (
    UPDATE log_heads h
    SET next_offset = l.next_offset + l.n
    FROM locked l
    WHERE h.queue_id = l.queue_id AND h.kafka_partition = l.kafka_partition
    RETURNING l.ord, h.queue_id, h.kafka_partition, l.next_offset AS base_offset
),
appended AS (
    INSERT INTO messages (queue_id, kafka_partition, log_offset, partition_id, id, transaction_id, trace_id, payload,
                          producer_sub, record_key, record_headers, record_timestamp)
    SELECT a.queue_id, a.kafka_partition, a.base_offset + i.rank, i.partition_id, i.id, i.transaction_id, i.trace_id,
           i.payload, i.producer_sub, i.record_key, i.record_headers, i.record_timestamp
    FROM unnest($1::int[], $2::int[], $3::uuid[], $4::uuid[], $5::text[], $6::uuid[], $7::bytea[], $8::text[],
                $9::bytea[], $10::bytea[], $11::bigint[])
         AS i(log, rank, partition_id, id, transaction_id, trace_id, payload, producer_sub, record_key,
              record_headers, record_timestamp)
    JOIN advanced a ON a.ord = i.log + 1
),
heads AS (
    SELECT t.id, a.queue_id, t.name, a.kafka_partition, a.base_offset + t.newest_rank AS last_offset
    FROM unnest($16::uuid[], $17::text[], $18::int[], $19::int[]) AS t(id, name, log, newest_rank)
    JOIN advanced a ON a.ord = t.log + 1
),
touched AS (
    INSERT INTO partitions AS p (id, queue_id, name, kafka_partition, last_offset, last_message_at)
    SELECT id, queue_id, name, kafka_partition, last_offset, now() FROM heads
    ON CONFLICT (id) DO UPDATE
    SET last_offset = greatest(p.last_offset, excluded.last_offset), last_message_at = excluded.last_message_at
    WHERE p.kafka_partition = excluded.kafka_partition
    RETURNING p.id
)
SELECT d.ord, d.id AS stored_id, NULL::bigint AS base_offset FROM dups d
UNION ALL
SELECT (a.ord - 1)::int, NULL, a.base_offset FROM advanced a
UNION ALL
SELECT queen_abort('QJ001', 'a Queen partition lives in another log than the append placed it in'), NULL, NULL
WHERE (SELECT count(*) FROM heads) > (SELECT count(*) FROM touched)
   OR EXISTS (SELECT 1
              FROM unnest($23::uuid[], $24::int[]) AS e(partition_id, kafka_partition)
              JOIN partitions p ON p.id = e.partition_id AND p.kafka_partition = e.kafka_partition)
UNION ALL
SELECT queen_abort('QJ002', 'a queue was deleted or grew since the append resolved it'), NULL, NULL
WHERE NOT EXISTS (SELECT 1 FROM dups) AND (SELECT count(*) FROM advanced) < cardinality($12::uuid[])
