-- $1 instance id, $2 incarnation, $3 HTTP address, $4 Kafka listener protocols, $5 expiry in ms, $6 cluster name,
-- $7 the listeners' advertised hosts, $8 their ports, $9 whether the instance id was given (QUEEN_INSTANCE_ID).
-- Answers the node id, or nothing while another live incarnation holds the instance id. Runs under the registration
-- lock.
INSERT INTO queen_instances (instance_id, cluster_name, node_id, incarnation, named, http_address, kafka_endpoints, started_at,
    heartbeat_at, expires_at)
VALUES ($1, $6,
    coalesce((SELECT node_id FROM queen_instances WHERE instance_id = $1),
        (SELECT min(n) FROM generate_series(0, (SELECT count(*)::integer FROM queen_instances)) AS n
         WHERE n NOT IN (SELECT node_id FROM queen_instances WHERE cluster_name = $6))),
    $2, $9, $3,
    (SELECT coalesce(jsonb_object_agg(protocol, jsonb_build_object('host', host, 'port', port)), '{}')
     FROM unnest($4::text[], $7::text[], $8::integer[]) AS listener(protocol, host, port)),
    now(), now(), now() + $5 * interval '1 millisecond')
ON CONFLICT (instance_id) DO UPDATE SET cluster_name = EXCLUDED.cluster_name, incarnation = EXCLUDED.incarnation, named = EXCLUDED.named, http_address = EXCLUDED.http_address,
    kafka_endpoints = EXCLUDED.kafka_endpoints, started_at = EXCLUDED.started_at,
    heartbeat_at = EXCLUDED.heartbeat_at, expires_at = EXCLUDED.expires_at
WHERE queen_instances.expires_at < now() OR queen_instances.incarnation = EXCLUDED.incarnation
RETURNING node_id
