-- Commit: the transaction's staged offsets become the groups' committed offsets. $1 transactional id
INSERT INTO kafka_group_offsets (group_id, queue_id, kafka_partition, committed_offset, leader_epoch, metadata,
                                 committed_at)
SELECT group_id, queue_id, kafka_partition, committed_offset, leader_epoch, metadata, now()
FROM kafka_txn_offsets
WHERE transactional_id = $1
ON CONFLICT (group_id, queue_id, kafka_partition) DO UPDATE
    SET committed_offset = EXCLUDED.committed_offset,
        leader_epoch     = EXCLUDED.leader_epoch,
        metadata         = EXCLUDED.metadata,
        committed_at     = EXCLUDED.committed_at
