-- Each queue (or one) with its number of partitions and dead letters, counted through indexes on queue id; no
-- message is read.
-- $1 queue name (null = every queue)
SELECT q.id, q.name, q.namespace, q.task, q.created_at,
       (SELECT count(*) FROM partitions p WHERE p.queue_id = q.id) AS partitions,
       (SELECT count(*) FROM dead_letters d WHERE d.queue_id = q.id) AS dead_letters
FROM queues q
WHERE $1::text IS NULL OR q.name = $1
ORDER BY q.name
