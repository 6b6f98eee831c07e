DELETE FROM kafka_acls
WHERE id = ANY($1::bigint[])
RETURNING id, resource_type, resource_name, pattern_type, principal, host, operation, permission
