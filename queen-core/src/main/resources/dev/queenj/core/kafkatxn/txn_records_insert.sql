-- Stages records, in the order given. $1 transactional id, then one array per column; $9 the id of the key a value
-- is sealed with (null: stored as produced)
INSERT INTO kafka_txn_records (transactional_id, queue_id, kafka_partition, partition_name, record_key, record_value,
                               record_headers, record_timestamp, record_value_key_id)
SELECT $1, r.queue_id, r.kafka_partition, r.partition_name, r.record_key, r.record_value, r.record_headers,
       r.record_timestamp, r.record_value_key_id
FROM unnest($2::uuid[], $3::int[], $4::text[], $5::bytea[], $6::bytea[], $7::bytea[], $8::bigint[], $9::int[])
         WITH ORDINALITY AS r (queue_id, kafka_partition, partition_name, record_key, record_value, record_headers,
                               record_timestamp, record_value_key_id, ord)
ORDER BY r.ord
