-- Kafka SCRAM credentials (SCRAM-SHA-256, SCRAM-SHA-512), as Kafka keeps them: per user and mechanism the salt,
-- iteration count and the two keys derived from the salted password (RFC 5802 StoredKey, ServerKey). The password
-- itself is never stored and cannot be recovered from these. Managed with AlterUserScramCredentials
-- (kafka-configs.sh --entity-type users); read by SASL authentication (SCRAM, and PLAIN checked against them).
CREATE TABLE kafka_scram_credentials (
    user_name  text     NOT NULL,
    mechanism  text     NOT NULL CHECK (mechanism IN ('SCRAM-SHA-256', 'SCRAM-SHA-512')),
    salt       bytea    NOT NULL,
    stored_key bytea    NOT NULL,
    server_key bytea    NOT NULL,
    iterations int      NOT NULL CHECK (iterations > 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_name, mechanism)
);
