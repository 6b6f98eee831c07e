-- Records a stored batch in a producer's sequence state, in the transaction that appended it.
INSERT INTO kafka_producer_state AS s (producer_id, queue_id, kafka_partition, producer_epoch, last_sequence,
                                       first_seqs, last_seqs, base_offsets)
SELECT $1, q.id, $3, $4, $5, $6, $7, $8 FROM queues q WHERE q.name = $2
ON CONFLICT (producer_id, queue_id, kafka_partition) DO UPDATE
SET producer_epoch = excluded.producer_epoch, last_sequence = excluded.last_sequence,
    first_seqs = excluded.first_seqs, last_seqs = excluded.last_seqs, base_offsets = excluded.base_offsets,
    updated_at = now()
