-- one append: 100 rows of 200-byte payloads into one log, one statement, one transaction (as a group commit)
\set k random(0, 7)
INSERT INTO m (queue_id, kafka_partition, log_offset, partition_id, id, transaction_id, payload, end_position)
SELECT '00000000-0000-0000-0000-000000000001', :k, nextval('s'), md5((g % 1000)::text)::uuid, gen_random_uuid(),
       gen_random_uuid()::text, convert_to(repeat('x', 200), 'UTF8'), 0
FROM generate_series(1, 100) g;
