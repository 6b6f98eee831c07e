-- A clean stop: the row expires now (a named instance's row is kept, so the same QUEEN_INSTANCE_ID restarting gets
-- its node id back; a generated one's is pruned by the next registration)
UPDATE queen_instances SET expires_at = now() WHERE instance_id = $1 AND incarnation = $2
