-- Adds one instance's counts per queue and minute to the stored ones: rows hold the sum over every instance.
-- $1 minutes, $2 queue names, $3 pushed, $4 popped, $5 acked, $6 failed, $7 dead-lettered (parallel arrays)
INSERT INTO queue_stats AS s (minute, queue_name, pushed, popped, acked, failed, dead_lettered)
SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[],
                     $7::bigint[])
ON CONFLICT (minute, queue_name) DO UPDATE
SET pushed = s.pushed + excluded.pushed, popped = s.popped + excluded.popped, acked = s.acked + excluded.acked,
    failed = s.failed + excluded.failed, dead_lettered = s.dead_lettered + excluded.dead_lettered
