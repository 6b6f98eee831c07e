-- Forgets instances stopped for more than an hour, freeing their node ids. Runs under the registration lock.
DELETE FROM queen_instances WHERE expires_at < now() - interval '1 hour'
