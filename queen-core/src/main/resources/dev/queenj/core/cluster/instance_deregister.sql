-- A clean stop: the row expires now (kept, so the same instance id restarting gets its node id back)
UPDATE queen_instances SET expires_at = now() WHERE instance_id = $1 AND incarnation = $2
