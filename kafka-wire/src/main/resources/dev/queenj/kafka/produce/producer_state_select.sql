-- A producer's sequence state in one Kafka partition; run under that partition's head lock.
SELECT producer_epoch, last_sequence, first_seqs, last_seqs, base_offsets
FROM kafka_producer_state
WHERE producer_id = $1 AND queue_id = (SELECT id FROM queues WHERE name = $2) AND kafka_partition = $3
