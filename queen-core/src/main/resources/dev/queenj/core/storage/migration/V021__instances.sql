-- Several instances on one database. Each running instance has a row here, renewed by its heartbeat; a row whose
-- expires_at has passed is an instance that stopped (or cannot reach the database) and is listed nowhere. The row of
-- a named instance (QUEEN_INSTANCE_ID) that stopped is kept for an hour, so that the same name restarting gets its
-- Kafka node id back; a generated name never returns, so its row goes as soon as it expired and a lone instance
-- restarting without a name is node 0 again. Node ids are small integers, the smallest free one of its cluster name
-- for a new instance.
CREATE TABLE queen_instances (
    instance_id     text PRIMARY KEY,
    -- QUEEN_CLUSTER_NAME: Kafka clients of an instance are told about the instances with the same name only
    cluster_name    text NOT NULL,
    node_id         integer NOT NULL CHECK (node_id >= 0),
    -- one per process start: a second live process with the same instance id cannot take the row over
    incarnation     uuid NOT NULL,
    -- true when the name came from QUEEN_INSTANCE_ID (kept after a stop), false when it was generated
    named           boolean NOT NULL,
    http_address    text NOT NULL,
    -- advertised host:port of each Kafka listener, by security protocol: {"PLAINTEXT": "host:9092", ...}
    kafka_endpoints jsonb NOT NULL,
    started_at      timestamptz NOT NULL,
    heartbeat_at    timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    UNIQUE (cluster_name, node_id)
);

-- The membership every instance agrees on, one row: the sorted node ids of the live instances when it last changed,
-- whatever their cluster names,
-- and how many times it changed. Kafka clients ignore partition metadata whose leader epoch is lower than one they
-- saw, so the leader epoch of every partition is this counter, which only grows.
CREATE TABLE queen_cluster_membership (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    epoch     integer NOT NULL,
    members   integer[] NOT NULL
);
INSERT INTO queen_cluster_membership (epoch, members) VALUES (0, '{}');

-- Which instance coordinates each Kafka consumer group: a lease that its owner renews with its heartbeat. Another
-- instance takes a group over only once the lease expired; the owner stops acting for the group before that.
CREATE TABLE queen_group_leases (
    group_id   text PRIMARY KEY,
    owner      text NOT NULL, -- the owner's instance id
    expires_at timestamptz NOT NULL
);
