-- A cycle's first statement: serialises the commits of one (query, source partition) with a transaction-scoped
-- lock, and answers the query (no row: unknown query id) with the source partition's queue name (null if unknown).
-- $1 query id, $2 partition id
SELECT q.id,
       (SELECT qu.name FROM partitions p JOIN queues qu ON qu.id = p.queue_id WHERE p.id = $2::uuid) AS queue_name
FROM queen_streams.queries q,
     LATERAL (SELECT pg_advisory_xact_lock(hashtextextended('queen_streams/' || $1::uuid::text || '/' || $2::uuid::text, 0))) l
WHERE q.id = $1::uuid
