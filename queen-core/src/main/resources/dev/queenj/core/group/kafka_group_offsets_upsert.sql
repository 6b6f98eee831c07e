-- One commit, every partition in one statement. Queues deleted since they were looked up are skipped by the join.
INSERT INTO kafka_group_offsets (group_id, queue_id, kafka_partition, committed_offset, leader_epoch, metadata,
                                 committed_at)
SELECT $1, c.queue_id, c.kafka_partition, c.committed_offset, c.leader_epoch, c.metadata, now()
FROM unnest($2::uuid[], $3::int[], $4::bigint[], $5::int[], $6::text[])
         AS c (queue_id, kafka_partition, committed_offset, leader_epoch, metadata)
JOIN queues q ON q.id = c.queue_id
ON CONFLICT (group_id, queue_id, kafka_partition) DO UPDATE
    SET committed_offset = EXCLUDED.committed_offset,
        leader_epoch     = EXCLUDED.leader_epoch,
        metadata         = EXCLUDED.metadata,
        committed_at     = EXCLUDED.committed_at
