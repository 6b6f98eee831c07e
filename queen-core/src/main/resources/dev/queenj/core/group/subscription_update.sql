-- Moves a group's stored start on all its queues to an explicit time (a future time acts like now, as on a first
-- pop). Only partitions the group has no cursor on yet start there; seek moves existing cursors.
-- $1 group, $2 start
UPDATE group_subscriptions
SET mode = 'timestamp', start_at = least($2::timestamptz, now())
WHERE consumer_group = $1
