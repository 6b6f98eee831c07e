-- TxnOffsetCommit: a group's offsets staged in the transaction, the latest per partition.
-- $1 transactional id, $2 group id, $3 queue ids, $4 Kafka partitions, $5 offsets, $6 leader epochs, $7 metadata
INSERT INTO kafka_txn_offsets (transactional_id, group_id, queue_id, kafka_partition, committed_offset, leader_epoch,
                               metadata)
SELECT $1, $2, c.queue_id, c.kafka_partition, c.committed_offset, c.leader_epoch, c.metadata
FROM unnest($3::uuid[], $4::int[], $5::bigint[], $6::int[], $7::text[])
         AS c (queue_id, kafka_partition, committed_offset, leader_epoch, metadata)
ON CONFLICT (transactional_id, group_id, queue_id, kafka_partition) DO UPDATE
    SET committed_offset = EXCLUDED.committed_offset,
        leader_epoch     = EXCLUDED.leader_epoch,
        metadata         = EXCLUDED.metadata
