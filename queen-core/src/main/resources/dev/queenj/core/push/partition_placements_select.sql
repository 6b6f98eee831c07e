-- Where these Queen partitions live, for those that exist: an append whose placement guess was wrong learns the
-- stored one here before it runs again.
SELECT id, kafka_partition FROM partitions WHERE id = ANY($1::uuid[])
