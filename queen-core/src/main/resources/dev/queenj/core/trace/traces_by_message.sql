-- Every trace event of one message, oldest first, with its names.
-- $1 partition id, $2 transaction id
SELECT t.id, t.event_type, t.data::text AS data, t.consumer_group, t.created_at,
       coalesce((SELECT array_agg(n.trace_name ORDER BY n.trace_name) FROM message_trace_names n
                 WHERE n.trace_id = t.id), '{}') AS trace_names
FROM message_traces t
WHERE t.partition_id = $1 AND t.transaction_id = $2
ORDER BY t.created_at, t.id
