-- Whether the version table exists, and whether it has the checksum column: builds before checksums created it
-- without one, and this build must start on their databases.
SELECT to_regclass('schema_migrations') IS NOT NULL AS has_table,
       EXISTS (SELECT 1 FROM pg_attribute
               WHERE attrelid = to_regclass('schema_migrations') AND attname = 'checksum' AND NOT attisdropped)
           AS has_checksum
