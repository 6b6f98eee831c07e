-- Kafka ACL bindings (CreateAcls / kafka-acls.sh), shared by every instance on the database: each instance keeps them
-- in memory and re-reads them every second, so authorization never reads Postgres on a request's path. Principals are
-- Kafka's 'User:<name>', the same for a SASL user and an HTTP JWT subject. Host '*' or one IP address.
CREATE TABLE kafka_acls (
    id            bigserial PRIMARY KEY,
    resource_type text NOT NULL CHECK (resource_type IN ('TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID')),
    resource_name text NOT NULL,
    pattern_type  text NOT NULL CHECK (pattern_type IN ('LITERAL', 'PREFIXED')),
    principal     text NOT NULL,
    host          text NOT NULL,
    operation     text NOT NULL CHECK (operation IN ('ALL', 'READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE',
                      'CLUSTER_ACTION', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE')),
    permission    text NOT NULL CHECK (permission IN ('ALLOW', 'DENY')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (resource_type, resource_name, pattern_type, principal, host, operation, permission)
);
