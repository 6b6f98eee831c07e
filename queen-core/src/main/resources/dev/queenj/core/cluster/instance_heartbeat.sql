-- $1 instance id, $2 incarnation, $3 expiry in ms: answers nothing when the row is gone or was taken over
UPDATE queen_instances SET heartbeat_at = now(), expires_at = now() + $3 * interval '1 millisecond'
WHERE instance_id = $1 AND incarnation = $2
RETURNING node_id
