-- $1 query id, $2 partition id, $3 keys
DELETE FROM queen_streams.state WHERE query_id = $1 AND partition_id = $2 AND key = ANY ($3::text[])
