-- The sizes an overview shows, from small tables and counts Postgres keeps (no scan of the messages): queues,
-- partitions, consumer groups with cursors, dead letters, and the messages table's estimated row count.
SELECT (SELECT count(*) FROM queues) AS queues,
       (SELECT count(*) FROM partitions) AS partitions,
       (SELECT count(DISTINCT consumer_group) FROM partition_consumers) AS consumer_groups,
       (SELECT count(*) FROM dead_letters) AS dead_letters,
       (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'messages'::regclass) AS messages_estimate
