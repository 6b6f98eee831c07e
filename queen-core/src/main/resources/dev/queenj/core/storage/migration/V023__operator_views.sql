-- What operators' views read without scanning the log.
--
-- Throughput per queue and minute: each instance counts pushes, pops, acks, failed acks and dead letters in memory as
-- they happen and adds its counts here once a minute (one upsert per flush, not per message), so a row holds the sum
-- over every instance. Pruned by age (README, Status and analytics). Keyed by the queue's name, without a foreign key:
-- a flush must not fail because a queue was deleted meanwhile, and the history of a deleted queue stays until pruned.
CREATE TABLE queue_stats (
    minute        timestamptz NOT NULL,
    queue_name    text        NOT NULL,
    pushed        bigint      NOT NULL DEFAULT 0,
    popped        bigint      NOT NULL DEFAULT 0,
    acked         bigint      NOT NULL DEFAULT 0,
    failed        bigint      NOT NULL DEFAULT 0,
    dead_lettered bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (minute, queue_name)
);

-- Whether a message went to the dead-letter queue, asked per message by the message list: an index probe instead of a
-- walk through the queue's dead letters. Dead letters are written once per message given up on, off the hot path.
CREATE INDEX dead_letters_message ON dead_letters (partition_id, message_id);

-- Where a message stands, as the message detail defines it (MessageStatus): dead_letter once a group gave up on it;
-- completed once every group with a cursor on its partition consumed it; processing while some group holds it in a
-- live leased batch; else pending. $5 narrows it to one consumer group (null = every group).
-- $1 partition id, $2 message id, $3 message offset, $4 now, $5 group
CREATE FUNCTION queen_message_status(uuid, uuid, bigint, timestamptz, text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN EXISTS (SELECT 1 FROM dead_letters d
                     WHERE d.partition_id = $1 AND d.message_id = $2 AND ($5 IS NULL OR d.consumer_group = $5))
            THEN 'dead_letter'
        WHEN bool_and(pc.cursor_offset >= $3) THEN 'completed'
        WHEN bool_or(pc.cursor_offset < $3 AND pc.batch_last_offset >= $3 AND pc.lease_expires_at > $4)
            THEN 'processing'
        ELSE 'pending'
    END
    FROM partition_consumers pc
    WHERE pc.partition_id = $1 AND ($5 IS NULL OR pc.consumer_group = $5)
$$;
