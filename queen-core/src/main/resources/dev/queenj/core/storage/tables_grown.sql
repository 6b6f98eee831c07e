-- The broker's tables holding at least $2 times the rows their planner statistics were made with, and at least $1
-- rows: plans made from those statistics may no longer fit them. reltuples is -1 until a table is first analyzed.
-- $1 minimum rows, $2 growth factor
SELECT s.relname::text AS name
FROM pg_stat_user_tables s
JOIN pg_class c ON c.oid = s.relid
WHERE s.schemaname = current_schema()
  AND s.relname IN ('queues', 'log_heads', 'partitions', 'messages', 'partition_consumers', 'group_subscriptions',
                    'group_log_scans', 'dead_letters', 'kafka_producer_ids', 'kafka_producer_state',
                    'kafka_group_offsets', 'topic_configs')
  AND s.n_live_tup >= greatest($1, $2 * greatest(c.reltuples, 0))
ORDER BY s.relname
