-- How far Kafka consumer groups are behind, per partition they committed an offset on (as Kafka's tools list a
-- group: partitions without a committed offset are not the group's). A Kafka partition is a queue's log
-- (log_heads: queue, Kafka partition) and a Kafka offset a log offset, so the lag is the log end offset less the
-- committed offset (from the log start when retention went past it); the time lag is the age of the first message
-- not consumed yet, one primary-key probe per lagging partition and none for a partition caught up. coordinated:
-- an instance holds the group's coordinator lease, so the group may have live members (a group without one has
-- none: its members would keep the lease renewed).
-- $1 group id, null = every group
SELECT o.group_id, q.name AS queue_name, o.kafka_partition, o.committed_offset, o.committed_at,
       h.log_start_offset, h.next_offset,
       greatest(h.next_offset - greatest(o.committed_offset, h.log_start_offset), 0) AS offset_lag,
       coalesce(extract(epoch FROM now() - first.created_at)::bigint, 0) AS time_lag_seconds,
       l.group_id IS NOT NULL AS coordinated
FROM kafka_group_offsets o
JOIN queues q ON q.id = o.queue_id
JOIN log_heads h ON h.queue_id = o.queue_id AND h.kafka_partition = o.kafka_partition
LEFT JOIN queen_group_leases l ON l.group_id = o.group_id AND l.expires_at > now()
LEFT JOIN LATERAL (
    SELECT m.created_at
    FROM messages m
    WHERE h.next_offset > greatest(o.committed_offset, h.log_start_offset)
      AND m.queue_id = o.queue_id AND m.kafka_partition = o.kafka_partition
      AND m.log_offset >= greatest(o.committed_offset, h.log_start_offset)
    ORDER BY m.log_offset
    LIMIT 1
) first ON true
WHERE $1::text IS NULL OR o.group_id = $1
ORDER BY o.group_id, q.name, o.kafka_partition
