-- Queen streams (/streams/v1): registered queries and their keyed state per source partition. The schema and table
-- names are Queen's: users are told to query them with plain SQL. State is not tied to the partition's lifetime.
CREATE SCHEMA IF NOT EXISTS queen_streams;

CREATE TABLE queen_streams.queries (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL UNIQUE,
    source_queue text        NOT NULL,
    sink_queue   text,
    config_hash  text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE queen_streams.state (
    query_id     uuid        NOT NULL REFERENCES queen_streams.queries (id) ON DELETE CASCADE,
    partition_id uuid        NOT NULL,
    key          text        NOT NULL,
    value        jsonb       NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (query_id, partition_id, key)
);
