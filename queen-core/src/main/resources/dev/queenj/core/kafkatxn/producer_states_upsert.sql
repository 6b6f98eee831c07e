-- Transactional producers' sequence states after staging batches (base offsets -1: not in the log yet). Written under
-- the transactional id's row lock, which serialises every writer of its producer id.
-- $1 producer ids, $2 queue ids, $3 Kafka partitions, $4 epochs, $5 last sequences, $6 first sequences of the kept
-- batches and $7 their last sequences, each as one text array literal per state
INSERT INTO kafka_producer_state (producer_id, queue_id, kafka_partition, producer_epoch, last_sequence, first_seqs,
                                  last_seqs, base_offsets)
SELECT s.producer_id, s.queue_id, s.kafka_partition, s.producer_epoch, s.last_sequence, s.first_seqs::int[],
       s.last_seqs::int[], array_fill(-1::bigint, ARRAY[cardinality(s.first_seqs::int[])])
FROM unnest($1::bigint[], $2::uuid[], $3::int[], $4::smallint[], $5::int[], $6::text[], $7::text[])
         AS s (producer_id, queue_id, kafka_partition, producer_epoch, last_sequence, first_seqs, last_seqs)
ON CONFLICT (producer_id, queue_id, kafka_partition) DO UPDATE
    SET producer_epoch = EXCLUDED.producer_epoch,
        last_sequence  = EXCLUDED.last_sequence,
        first_seqs     = EXCLUDED.first_seqs,
        last_seqs      = EXCLUDED.last_seqs,
        base_offsets   = EXCLUDED.base_offsets,
        updated_at     = now()
