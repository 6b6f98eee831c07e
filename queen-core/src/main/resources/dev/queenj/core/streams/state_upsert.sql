-- $1 query id, $2 partition id, $3 keys, $4 values (JSON text); one row per key
INSERT INTO queen_streams.state AS s (query_id, partition_id, key, value, updated_at)
SELECT $1, $2, k, v::jsonb, now()
FROM unnest($3::text[], $4::text[]) AS t(k, v)
ON CONFLICT (query_id, partition_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
