-- Records one trace event of the message (partition id, transaction id) with its names, in one statement; no row
-- when there is no such message.
-- $1 trace id, $2 partition id, $3 transaction id, $4 consumer group, $5 event type, $6 data (jsonb text),
-- $7 trace names
WITH trace AS (
    INSERT INTO message_traces (id, queue_id, partition_id, transaction_id, message_id, consumer_group, event_type,
                                data)
    SELECT $1, m.queue_id, m.partition_id, m.transaction_id, m.id, $4, $5, $6::text::jsonb
    FROM messages m
    WHERE m.partition_id = $2 AND m.transaction_id = $3
    RETURNING id
),
named AS (
    INSERT INTO message_trace_names (trace_name, trace_id)
    SELECT DISTINCT name, trace.id FROM trace, unnest($7::text[]) AS name
)
SELECT id FROM trace
