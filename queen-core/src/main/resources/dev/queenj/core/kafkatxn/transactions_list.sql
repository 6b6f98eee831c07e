-- ListTransactions. $1 states (empty: any), $2 producer ids (empty: any), $3 only those started at least this many ms
-- ago (negative: any)
SELECT transactional_id, producer_id, state
FROM kafka_transactions
WHERE (cardinality($1::text[]) = 0 OR state = ANY($1))
  AND (cardinality($2::bigint[]) = 0 OR producer_id = ANY($2))
  AND ($3::bigint < 0 OR coalesce(started_at, updated_at) <= now() - $3::bigint * interval '1 millisecond')
ORDER BY transactional_id
