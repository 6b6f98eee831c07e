-- A first registration. A concurrent first registration of the same name waits here, then inserts nothing, and the
-- caller goes on as for an existing row (query_lock.sql): no silent overwrite of another hash.
-- $1 id, $2 name, $3 source queue, $4 sink queue (null), $5 config hash
INSERT INTO queen_streams.queries (id, name, source_queue, sink_queue, config_hash)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (name) DO NOTHING
RETURNING id
