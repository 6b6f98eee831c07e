SELECT count(*) FILTER (WHERE lease_expires_at <= now()) AS expired, count(*) AS total
FROM partition_consumers
WHERE lease_id = $1
