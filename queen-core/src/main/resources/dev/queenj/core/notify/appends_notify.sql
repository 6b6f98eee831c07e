-- Tells the other instances listening on the database which queues this one appended to (committed already). A
-- transaction that only notifies writes no WAL record and waits for no flush (Postgres 13 on; 300 of them on an
-- otherwise idle Postgres 15 cost one WAL sync in all, 0.06 ms each); its commit takes Postgres' notification-queue
-- lock and signals the listening sessions.
-- $1 channel, $2 payload (under 8000 bytes)
SELECT pg_notify($1, $2)
