-- Commit: the transaction's staged offsets become the groups' committed offsets. Answers per queue the records the
-- commit moved its groups past, which analytics count as acked, as a plain commit counts them
-- (group/kafka_group_offsets_upsert.sql: a partition's first commit counts nothing, nor does one moving back).
-- $1 transactional id
WITH staged AS (
    SELECT group_id, queue_id, kafka_partition, committed_offset, leader_epoch, metadata
    FROM kafka_txn_offsets
    WHERE transactional_id = $1
),
before AS (
    SELECT o.group_id, o.queue_id, o.kafka_partition, o.committed_offset
    FROM kafka_group_offsets o
    JOIN staged s ON s.group_id = o.group_id AND s.queue_id = o.queue_id AND s.kafka_partition = o.kafka_partition
),
stored AS (
    INSERT INTO kafka_group_offsets (group_id, queue_id, kafka_partition, committed_offset, leader_epoch, metadata,
                                     committed_at)
    SELECT group_id, queue_id, kafka_partition, committed_offset, leader_epoch, metadata, now()
    FROM staged
    ON CONFLICT (group_id, queue_id, kafka_partition) DO UPDATE
        SET committed_offset = EXCLUDED.committed_offset,
            leader_epoch     = EXCLUDED.leader_epoch,
            metadata         = EXCLUDED.metadata,
            committed_at     = EXCLUDED.committed_at
    RETURNING group_id, queue_id, kafka_partition, committed_offset
)
SELECT q.name AS queue_name, sum(greatest(s.committed_offset - b.committed_offset, 0))::bigint AS moved
FROM stored s
JOIN before b ON b.group_id = s.group_id AND b.queue_id = s.queue_id AND b.kafka_partition = s.kafka_partition
JOIN queues q ON q.id = s.queue_id
GROUP BY q.name
