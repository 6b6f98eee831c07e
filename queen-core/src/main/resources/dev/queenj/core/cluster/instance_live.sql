-- The live instances and the membership epoch; counts a change of the live node ids once, whichever instance sees it
-- first (a concurrent update re-checks the row and finds nothing to change).
WITH live AS (
    SELECT node_id, instance_id, cluster_name, http_address,
        ARRAY(SELECT key FROM jsonb_each(kafka_endpoints) ORDER BY key) AS kafka_protocols,
        ARRAY(SELECT value->>'host' FROM jsonb_each(kafka_endpoints) ORDER BY key) AS kafka_hosts,
        ARRAY(SELECT (value->>'port')::integer FROM jsonb_each(kafka_endpoints) ORDER BY key) AS kafka_ports
    FROM queen_instances WHERE expires_at > now()
), seen AS (
    SELECT coalesce(array_agg(node_id ORDER BY node_id), '{}') AS members FROM live
), changed AS (
    UPDATE queen_cluster_membership SET epoch = epoch + 1, members = seen.members FROM seen
    WHERE queen_cluster_membership.members IS DISTINCT FROM seen.members
    RETURNING epoch
)
SELECT live.*, coalesce((SELECT epoch FROM changed), (SELECT epoch FROM queen_cluster_membership)) AS epoch
FROM live RIGHT JOIN (SELECT 1) AS always ON true
ORDER BY node_id
