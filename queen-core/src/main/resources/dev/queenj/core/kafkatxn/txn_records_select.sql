-- Everything a transaction staged, in produce order, to append on commit. $1 transactional id
SELECT q.name AS queue, r.kafka_partition, r.partition_name, r.record_key, r.record_value, r.record_headers,
       r.record_timestamp, r.record_value_key_id
FROM kafka_txn_records r
JOIN queues q ON q.id = r.queue_id
WHERE r.transactional_id = $1
ORDER BY r.id
