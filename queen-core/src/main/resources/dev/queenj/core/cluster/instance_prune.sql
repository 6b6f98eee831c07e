-- $1 the registering instance's id. Forgets named instances stopped for more than an hour and instances with
-- generated names as soon as they expired (they never come back), freeing their node ids; the registering instance's
-- own row stays, so an instance re-registering after a slow heartbeat keeps its node id. Runs under the registration
-- lock.
DELETE FROM queen_instances
WHERE instance_id <> $1 AND (expires_at < now() - interval '1 hour' OR (NOT named AND expires_at < now()))
