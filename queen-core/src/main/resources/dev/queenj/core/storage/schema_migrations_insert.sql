INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)
