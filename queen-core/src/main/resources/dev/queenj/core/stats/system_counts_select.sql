-- The sizes an overview shows, from small tables and counts Postgres keeps (no scan of the messages): queues,
-- partitions, consumer groups (Queen groups with cursors plus Kafka groups with committed offsets: a name in both is
-- two groups), dead letters, and the messages table's estimated row count.
SELECT (SELECT count(*) FROM queues) AS queues,
       (SELECT count(*) FROM partitions) AS partitions,
       (SELECT count(DISTINCT consumer_group) FROM partition_consumers)
           + (SELECT count(DISTINCT group_id) FROM kafka_group_offsets) AS consumer_groups,
       (SELECT count(*) FROM dead_letters) AS dead_letters,
       (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'messages'::regclass) AS messages_estimate
