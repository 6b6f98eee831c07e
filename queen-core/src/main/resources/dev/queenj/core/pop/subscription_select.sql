SELECT start_at FROM group_subscriptions WHERE consumer_group = $1 AND queue_id = $2
