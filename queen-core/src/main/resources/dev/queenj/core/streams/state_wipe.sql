-- A reset: every state row of the query, all partitions. $1 query id
DELETE FROM queen_streams.state WHERE query_id = $1
