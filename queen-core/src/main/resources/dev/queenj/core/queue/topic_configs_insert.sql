INSERT INTO topic_configs (queue_id, name, value)
SELECT $1, name, value FROM unnest($2::text[], $3::text[]) AS c(name, value)
