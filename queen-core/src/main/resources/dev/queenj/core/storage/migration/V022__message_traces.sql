-- Trace events consumers record per message (POST /traces), readable by message and by name. A trace names its
-- message by (partition id, transaction id) as clients do; message_id is kept for the record but has no foreign key:
-- a trace outlives the deletion of its message (retention, DELETE /messages), which is when an operator most wants
-- the trail. Traces go with their queue (ON DELETE CASCADE) and are pruned by age (README, Traces).
CREATE TABLE message_traces (
    id             uuid        PRIMARY KEY,
    queue_id       uuid        NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    partition_id   uuid        NOT NULL,
    transaction_id text        NOT NULL,
    message_id     uuid        NOT NULL,
    consumer_group text,
    event_type     text        NOT NULL,
    data           jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_traces_message ON message_traces (partition_id, transaction_id, created_at);
CREATE INDEX message_traces_created ON message_traces (created_at);
CREATE INDEX message_traces_queue ON message_traces (queue_id);

-- The names a trace was filed under, to find traces of several messages that belong to one workflow.
CREATE TABLE message_trace_names (
    trace_name text NOT NULL,
    trace_id   uuid NOT NULL REFERENCES message_traces (id) ON DELETE CASCADE,
    PRIMARY KEY (trace_name, trace_id)
);
CREATE INDEX message_trace_names_trace ON message_trace_names (trace_id);
