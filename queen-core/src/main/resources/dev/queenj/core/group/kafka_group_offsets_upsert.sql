-- One commit, every partition in one statement. Queues deleted since they were looked up are skipped by the join.
-- Answers per queue the records the commit moved the group past, which analytics count as acked: per partition how
-- far its offset moved forward from the one stored before (read in the same statement, one primary-key probe each).
-- A partition's first commit counts nothing (where the group started reading is not known: the log start, its end
-- or anywhere between), nor does a commit moving back.
-- $1 group id, $2 queue ids, $3 Kafka partitions, $4 offsets, $5 leader epochs, $6 metadata
WITH c AS (
    SELECT c.*
    FROM unnest($2::uuid[], $3::int[], $4::bigint[], $5::int[], $6::text[])
             AS c (queue_id, kafka_partition, committed_offset, leader_epoch, metadata)
    JOIN queues q ON q.id = c.queue_id
),
before AS (
    SELECT o.queue_id, o.kafka_partition, o.committed_offset
    FROM kafka_group_offsets o
    JOIN c ON o.queue_id = c.queue_id AND o.kafka_partition = c.kafka_partition
    WHERE o.group_id = $1
),
stored AS (
    INSERT INTO kafka_group_offsets (group_id, queue_id, kafka_partition, committed_offset, leader_epoch, metadata,
                                     committed_at)
    SELECT $1, c.queue_id, c.kafka_partition, c.committed_offset, c.leader_epoch, c.metadata, now()
    FROM c
    ON CONFLICT (group_id, queue_id, kafka_partition) DO UPDATE
        SET committed_offset = EXCLUDED.committed_offset,
            leader_epoch     = EXCLUDED.leader_epoch,
            metadata         = EXCLUDED.metadata,
            committed_at     = EXCLUDED.committed_at
    RETURNING queue_id, kafka_partition, committed_offset
)
SELECT q.name AS queue_name, sum(greatest(s.committed_offset - b.committed_offset, 0))::bigint AS moved
FROM stored s
JOIN before b ON b.queue_id = s.queue_id AND b.kafka_partition = s.kafka_partition
JOIN queues q ON q.id = s.queue_id
GROUP BY q.name
