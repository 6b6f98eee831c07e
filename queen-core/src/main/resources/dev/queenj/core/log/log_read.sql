-- Reads Kafka partitions by (queue, Kafka partition, offset) through the messages primary key, in one round trip
-- for all of them. Per partition: the heads (one row without a record when nothing is returned), then the records
-- from from_offset on while their running size (LogRecord.size, counted in log positions: the bytes of messages
-- deleted in between count too, so such a read answers fewer records, never more) stays within max_bytes, always at
-- least one, from at most $6 offsets.
-- A partition whose offset lies outside [log start, high watermark) reads no records. Unknown queues or partitions
-- answer no row. A record's timestamp is its Kafka CreateTime, else when it was stored (ms). Rows are not sorted
-- here: each partition's come in offset order from its own scan, and the caller keeps them apart by position.
-- A payload stored encrypted comes with the id of its key (payload_key_id), else null.
-- $1 queue names, $2 Kafka partitions, $3 from offsets, $4 max bytes per partition, $5 position, $6 max offsets
SELECT r.ord, h.log_start_offset, h.next_offset, m.log_offset, m.ts, m.record_key, m.payload, m.record_headers,
       m.payload_key_id
FROM unnest($1::text[], $2::int[], $3::bigint[], $4::int[], $5::int[])
     AS r(queue_name, kafka_partition, from_offset, max_bytes, ord)
JOIN queues q ON q.name = r.queue_name
JOIN log_heads h ON h.queue_id = q.id AND h.kafka_partition = r.kafka_partition
-- The first record at or after from_offset gives where the read starts in the log's bytes (its end position less its
-- size); the records from it on are answered while their end positions stay within max_bytes of that start, always
-- the first. Comparing positions (V010) costs nothing per row, where summing sizes over a window spooled every row
-- (a third of the statement's time). The scan stops after $6 offsets whatever the budget, so a row past the budget
-- is read from the table but never answered: a large (TOASTed) value beyond the budget is never fetched.
LEFT JOIN LATERAL (
    SELECT f.log_offset,
           f.end_position - (coalesce(octet_length(f.payload), 0) + coalesce(octet_length(f.record_key), 0)
                             + coalesce(octet_length(f.record_headers), 0) + 16) AS start_position
    FROM messages f
    WHERE f.queue_id = q.id AND f.kafka_partition = r.kafka_partition AND f.log_offset >= r.from_offset
      AND r.from_offset >= h.log_start_offset AND r.from_offset < h.next_offset
    ORDER BY f.log_offset
    LIMIT 1
) first ON true
LEFT JOIN LATERAL (
    SELECT m.log_offset,
           coalesce(m.record_timestamp, floor(extract(epoch FROM m.created_at) * 1000)::bigint) AS ts,
           m.record_key, m.payload, m.record_headers, m.payload_key_id
    FROM messages m
    WHERE m.queue_id = q.id AND m.kafka_partition = r.kafka_partition
      AND m.log_offset >= first.log_offset AND m.log_offset < first.log_offset + $6
      AND (m.end_position - first.start_position <= r.max_bytes OR m.log_offset = first.log_offset)
    ORDER BY m.log_offset
    LIMIT $6
) m ON true
