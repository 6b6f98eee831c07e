-- Forgets per-minute counts older than the retention.
-- $1 minutes before
DELETE FROM queue_stats WHERE minute < $1
