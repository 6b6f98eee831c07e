-- $1 group ids, $2 this instance id, $3 lease in ms: answers the groups this instance still holds
UPDATE queen_group_leases SET expires_at = now() + $3 * interval '1 millisecond'
WHERE group_id = ANY($1) AND owner = $2
RETURNING group_id
