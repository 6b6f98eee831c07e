-- Nullable and without a default, so adding it rewrites nothing and older builds still insert their rows.
ALTER TABLE schema_migrations ADD COLUMN checksum text
