-- Tells the other instances listening on the database which queues this one appended to (committed already).
-- A notification carries no data worth keeping: its own transaction commits without waiting for the WAL flush
-- (set_config(..., true) is local to this statement's implicit transaction), and one lost in a crash only delays a
-- wake-up until the listener's periodic re-check.
-- $1 channel, $2 payload (under 8000 bytes)
SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, $2)
