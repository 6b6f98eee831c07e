-- Forgets named instances stopped for more than an hour and instances with generated names as soon as they expired
-- (they never come back), freeing their node ids. Runs under the registration lock.
DELETE FROM queen_instances WHERE expires_at < now() - interval '1 hour' OR (NOT named AND expires_at < now())
