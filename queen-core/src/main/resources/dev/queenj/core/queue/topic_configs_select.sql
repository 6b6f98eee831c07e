SELECT c.queue_id, c.name, c.value
FROM topic_configs c
WHERE c.queue_id = ANY($1)
ORDER BY c.queue_id, c.name
