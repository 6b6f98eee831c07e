-- Takes the lease of a background service for $3 s when no one holds it (it expired or was released) or this
-- instance already does. Answers a row when taken. The row lock of the upsert makes two takers wait on each other,
-- and the loser's WHERE then sees the winner's expires_at: one holder at a time.
-- $1 service name, $2 holder, $3 lease seconds
INSERT INTO service_leases AS l (name, holder, expires_at)
VALUES ($1, $2, now() + make_interval(secs => $3))
ON CONFLICT (name) DO UPDATE
SET holder = excluded.holder, expires_at = excluded.expires_at
WHERE l.expires_at <= now() OR l.holder = excluded.holder
RETURNING name
