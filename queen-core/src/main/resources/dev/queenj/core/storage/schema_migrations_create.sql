-- One row per applied script. checksum is the SHA-256 (hex) of the script's text as applied; null only on rows an
-- earlier build recorded, until this build records the shipped script's checksum for them.
CREATE TABLE schema_migrations (
    version    text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now(),
    checksum   text
)
