-- $1 id, $2 source queue, $3 sink queue (null), $4 config hash
UPDATE queen_streams.queries
SET source_queue = $2, sink_queue = $3, config_hash = $4, updated_at = now()
WHERE id = $1
