-- Checksums for scripts an earlier build applied without recording one: $1 versions, $2 their checksums.
UPDATE schema_migrations m
SET checksum = c.checksum
FROM unnest($1::text[], $2::text[]) AS c (version, checksum)
WHERE m.version = c.version AND m.checksum IS NULL
