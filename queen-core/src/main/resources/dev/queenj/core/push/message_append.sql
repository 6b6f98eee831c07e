-- Appends a batch in one statement, so that outside a transaction it is one round trip and one commit. The caller
-- has placed every item in a log, removed duplicates within the batch and ranked the items of each log (0, 1, ...);
-- this statement assigns offsets and byte positions from the locked heads, stores the messages and moves the
-- partitions' newest offset.
--   dups      items with a client transaction id already stored in their Queen partition. When there is any,
--             nothing is written and only they are answered: the caller drops them, ranks again and runs again.
--   locked    the high watermarks of the logs, locked in a fixed order so that concurrent appends cannot deadlock.
--             A lock waited for returns the newest row, so offsets stay dense whatever committed meanwhile. The
--             queue must still have the Kafka partition count the caller placed new Queen partitions over, and the
--             encryption setting the caller sealed by.
--   touched   a Queen partition that exists keeps the log its row names; the caller's placement must agree.
--   sequenced idempotent producers' state per log, written only if it is still the state the caller decided their
--             batches on (their epoch and last sequence, or no row at all), so that a batch is stored once even when
--             a retry races it through another connection or instance.
-- A placement that disagrees with a stored one (QJ001), a queue deleted or grown since the caller resolved it
-- (QJ002), or a producer state that changed meanwhile (QJ003) aborts the whole statement through queen_abort: a
-- statement stores every item or none.
-- Every parameter is named once, with its number and type, in AppendParameters, which binds them by name;
-- AppendParametersTest fails when a number or cast here and there disagree.
-- Items: $1 log (index into the logs), $2 rank in its log, $3 Queen partition, $4 id, $5 transaction id,
--   $6 trace id, $7 payload, $8 producer sub, $9 record key, $10 record headers, $11 record timestamp.
-- Logs: $12 queue ids, $13 Kafka partitions, $14 items appended to each, $15 the queues' Kafka partition counts.
-- Queen partitions written: $16 ids, $17 names, $18 their log, $19 the rank of their newest item.
-- Items to check for stored duplicates: $20 item index, $21 Queen partition, $22 transaction id.
-- Kafka records sent to their fallback partition because their key's partition lives elsewhere: $23 that key's
--   partition, $24 the Kafka partition it must not live in.
-- Producer states to write: $25 producer ids, $26 their log, $27 epoch, $28 last sequence, $29 and $30 the epoch and
--   last sequence the row must still have (null: there must be no row).
-- Their last batches, oldest first: $31 state (index), $32 position, $33 first sequence, $34 last sequence,
--   $35 base offset when stored earlier, else $36 the rank of the batch's first item in the state's log.
-- Byte positions: $37 each item's end within what the batch appends to its log (its size plus its predecessors'),
--   $38 the bytes appended to each log.
-- $39 the id of the key each item's payload is sealed with (null: stored as sent); null as a whole when no item of
--   the batch is sealed, which unnest reads as all null. $40 whether each log's queue had encryption enabled when
--   the caller sealed (or did not seal) its items: a queue switched since, through another instance, aborts (QJ002).
WITH dups AS (
    SELECT c.ord, m.id
    FROM unnest($20::int[], $21::uuid[], $22::text[]) AS c(ord, partition_id, transaction_id)
    JOIN messages m ON m.partition_id = c.partition_id AND m.transaction_id = c.transaction_id
),
locked AS (
    SELECT l.ord, h.queue_id, h.kafka_partition, h.next_offset, h.next_position, l.n, l.bytes
    FROM unnest($12::uuid[], $13::int[], $14::int[], $15::int[], $38::bigint[], $40::boolean[]) WITH ORDINALITY
         AS l(queue_id, kafka_partition, n, partition_count, bytes, encrypted, ord)
    JOIN queues q ON q.id = l.queue_id AND q.kafka_partitions = l.partition_count
                 AND q.encryption_enabled = l.encrypted
    JOIN log_heads h ON h.queue_id = l.queue_id AND h.kafka_partition = l.kafka_partition
    WHERE NOT EXISTS (SELECT 1 FROM dups)
    ORDER BY h.queue_id, h.kafka_partition
    FOR UPDATE OF h
),
advanced AS (
    UPDATE log_heads h
    SET next_offset = l.next_offset + l.n, next_position = l.next_position + l.bytes
    FROM locked l
    WHERE h.queue_id = l.queue_id AND h.kafka_partition = l.kafka_partition
    RETURNING l.ord, h.queue_id, h.kafka_partition, l.next_offset AS base_offset, l.next_position AS base_position
),
appended AS (
    INSERT INTO messages (queue_id, kafka_partition, log_offset, partition_id, id, transaction_id, trace_id, payload,
                          producer_sub, record_key, record_headers, record_timestamp, end_position, payload_key_id)
    SELECT a.queue_id, a.kafka_partition, a.base_offset + i.rank, i.partition_id, i.id, i.transaction_id, i.trace_id,
           i.payload, i.producer_sub, i.record_key, i.record_headers, i.record_timestamp, a.base_position + i.ends,
           i.payload_key_id
    FROM unnest($1::int[], $2::int[], $3::uuid[], $4::uuid[], $5::text[], $6::uuid[], $7::bytea[], $8::text[],
                $9::bytea[], $10::bytea[], $11::bigint[], $37::bigint[], $39::int[])
         AS i(log, rank, partition_id, id, transaction_id, trace_id, payload, producer_sub, record_key,
              record_headers, record_timestamp, ends, payload_key_id)
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
),
batches AS (
    SELECT e.state, e.pos, e.first_seq, e.last_seq, coalesce(e.base_offset, a.base_offset + e.rank) AS base_offset
    FROM unnest($31::int[], $32::int[], $33::int[], $34::int[], $35::bigint[], $36::int[])
         AS e(state, pos, first_seq, last_seq, base_offset, rank)
    JOIN unnest($26::int[]) WITH ORDINALITY AS l(log, state) ON l.state = e.state + 1
    JOIN advanced a ON a.ord = l.log + 1
),
states AS (
    SELECT s.producer_id, a.queue_id, a.kafka_partition, s.epoch, s.last_sequence, s.expected_epoch,
           s.expected_last, b.first_seqs, b.last_seqs, b.base_offsets
    FROM unnest($25::bigint[], $26::int[], $27::int[], $28::int[], $29::int[], $30::int[]) WITH ORDINALITY
         AS s(producer_id, log, epoch, last_sequence, expected_epoch, expected_last, ord)
    JOIN advanced a ON a.ord = s.log + 1
    CROSS JOIN LATERAL (
        SELECT array_agg(first_seq ORDER BY pos) AS first_seqs, array_agg(last_seq ORDER BY pos) AS last_seqs,
               array_agg(base_offset ORDER BY pos) AS base_offsets
        FROM batches WHERE state = s.ord - 1
    ) b
),
sequenced AS (
    UPDATE kafka_producer_state k
    SET producer_epoch = s.epoch, last_sequence = s.last_sequence, first_seqs = s.first_seqs,
        last_seqs = s.last_seqs, base_offsets = s.base_offsets, updated_at = now()
    FROM states s
    WHERE s.expected_epoch IS NOT NULL AND k.producer_id = s.producer_id AND k.queue_id = s.queue_id
      AND k.kafka_partition = s.kafka_partition AND k.producer_epoch = s.expected_epoch
      AND k.last_sequence = s.expected_last
    RETURNING 1
),
started AS (
    INSERT INTO kafka_producer_state (producer_id, queue_id, kafka_partition, producer_epoch, last_sequence,
                                      first_seqs, last_seqs, base_offsets)
    SELECT producer_id, queue_id, kafka_partition, epoch, last_sequence, first_seqs, last_seqs, base_offsets
    FROM states
    WHERE expected_epoch IS NULL
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT d.ord, d.id AS stored_id, NULL::bigint AS base_offset, NULL::bigint AS stored_at FROM dups d
UNION ALL
-- stored_at: the messages' created_at (now()) in ms, as reads derive timestamps of records without their own
SELECT (a.ord - 1)::int, NULL, a.base_offset, floor(extract(epoch FROM now()) * 1000)::bigint FROM advanced a
UNION ALL
SELECT queen_abort('QJ001', 'a Queen partition lives in another log than the append placed it in'), NULL, NULL, NULL
WHERE (SELECT count(*) FROM heads) > (SELECT count(*) FROM touched)
   OR EXISTS (SELECT 1
              FROM unnest($23::uuid[], $24::int[]) AS e(partition_id, kafka_partition)
              JOIN partitions p ON p.id = e.partition_id AND p.kafka_partition = e.kafka_partition)
UNION ALL
SELECT queen_abort('QJ002', 'a queue was deleted, grew or had its encryption switched since the append resolved it'),
       NULL, NULL, NULL
WHERE NOT EXISTS (SELECT 1 FROM dups) AND (SELECT count(*) FROM advanced) < cardinality($12::uuid[])
UNION ALL
SELECT queen_abort('QJ003', 'a producer''s sequence state changed since the append decided on it'), NULL, NULL, NULL
WHERE (SELECT count(*) FROM sequenced) + (SELECT count(*) FROM started) < (SELECT count(*) FROM states)
