-- $1 group id, $2 this instance id, $3 lease in ms: takes the group when nobody holds it or its lease expired (or
-- renews it when this instance holds it), and answers the owner either way.
WITH claimed AS (
    INSERT INTO queen_group_leases (group_id, owner, expires_at)
    VALUES ($1, $2, now() + $3 * interval '1 millisecond')
    ON CONFLICT (group_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
    WHERE queen_group_leases.expires_at < now() OR queen_group_leases.owner = EXCLUDED.owner
    RETURNING owner
)
SELECT owner FROM claimed
UNION ALL
SELECT owner FROM queen_group_leases WHERE group_id = $1 AND NOT EXISTS (SELECT 1 FROM claimed)
