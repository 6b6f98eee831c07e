#!/usr/bin/env bash
# The measurement behind retention's storage layout (bench/RESULTS.md, "Retention: which layout deletes cheaply").
# Needs psql and pgbench and a scratch Postgres (never the server's database: it drops table m):
#   PGHOST=/tmp/sock PGPORT=55433 PGUSER=postgres bench/retention-layout.sh
# 1. Insert cost, 30 s each (4 clients, 100-row appends): the messages layout as it is; with an index on created_at
#    (what a time-ordered delete could use); and range-partitioned by offset (what "drop whole partitions" needs).
# 2. Steady state: appends at a fixed rate (BENCH_RATE appends/s of 100 rows) for BENCH_STEADY_SECONDS while the
#    purge runs every 10 s keeping the newest BENCH_KEEP offsets, in batches of 1000, autovacuum at its defaults;
#    table + index size and dead rows sampled every 30 s. BENCH_VACUUM=1 runs VACUUM on the table after each purge
#    (instead of leaving it to autovacuum alone); BENCH_SKIP_INSERT=1 runs only the steady state.
set -euo pipefail
cd "$(dirname "$0")/retention"
RATE=${BENCH_RATE:-50}
STEADY=${BENCH_STEADY_SECONDS:-360}
KEEP=${BENCH_KEEP:-300000}
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

insert_rate() { # label
  q -c "VACUUM ANALYZE m" >/dev/null
  local tps
  tps=$(pgbench -n -c 4 -j 2 -T 30 -f insert.sql 2>/dev/null | awk '/^tps/ {print $3}')
  printf '| %s | %.0f |\n' "$1" "$(echo "$tps * 100" | bc)"
}

VACUUM_AFTER=${BENCH_VACUUM:-0}
if [ "${BENCH_SKIP_INSERT:-0}" != 1 ]; then
echo "## insert rows/s (pgbench, 4 clients, 30 s, 100-row statements)"
echo "| layout | rows/s |"
echo "|---|---|"
q -f schema.sql >/dev/null
insert_rate "messages as it is (PK + 2 indexes)"
q -f schema.sql >/dev/null
q -c "CREATE INDEX m_created ON m (created_at)"
insert_rate "+ index on created_at"
q -f schema.sql >/dev/null
q <<'SQL' >/dev/null
DROP TABLE m;
CREATE TABLE m (
    queue_id uuid NOT NULL, kafka_partition int NOT NULL, log_offset bigint NOT NULL, partition_id uuid NOT NULL,
    id uuid NOT NULL, transaction_id text NOT NULL, trace_id uuid, payload bytea, producer_sub text,
    created_at timestamptz NOT NULL DEFAULT now(), record_key bytea, record_headers bytea, record_timestamp bigint,
    end_position bigint NOT NULL, PRIMARY KEY (queue_id, kafka_partition, log_offset)
) PARTITION BY RANGE (log_offset);
-- a unique (partition_id, transaction_id) cannot exist on a table partitioned by offset: dedup loses its index
CREATE INDEX m_dedup ON m (partition_id, transaction_id);
CREATE INDEX m_partition_offset ON m (partition_id, log_offset);
DO $$ BEGIN
  FOR i IN 0..199 LOOP
    EXECUTE format('CREATE TABLE m_%s PARTITION OF m FOR VALUES FROM (%s) TO (%s)', i, i * 100000, (i + 1) * 100000);
  END LOOP;
END $$;
SQL
insert_rate "range-partitioned by offset (100k rows each, dedup index not unique)"
fi

echo
echo "## steady state: ${RATE} appends/s x 100 rows for ${STEADY} s, purge every 10 s keeping ${KEEP} offsets" \
  "$([ "$VACUUM_AFTER" = 1 ] && echo ', VACUUM after each purge')"
q -f schema.sql >/dev/null
pgbench -n -c 2 -j 2 -R "$RATE" -T "$STEADY" -f insert.sql >/tmp/retention-layout-pgbench.log 2>&1 &
BENCH=$!
start=$(date +%s)
echo "| s | rows | table+indexes MB | dead rows | last purge |"
echo "|---|---|---|---|---|"
last=""
next_sample=30
while kill -0 "$BENCH" 2>/dev/null; do
  sleep 10
  last=$(q -c "CALL purge($KEEP, 1000)" 2>&1 | sed -n 's/.*NOTICE:  //p')
  if [ "$VACUUM_AFTER" = 1 ]; then
    t0=$(date +%s%N); q -c "VACUUM m"; last="$last, vacuum $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  fi
  now=$(( $(date +%s) - start ))
  if (( now >= next_sample )); then
    next_sample=$(( next_sample + 30 ))
    q -A -t -F ' | ' -c "SELECT $now, n_live_tup, round(pg_total_relation_size('m') / 1048576.0, 1), n_dead_tup
                         FROM pg_stat_user_tables WHERE relname = 'm'" | sed "s/^/| /; s/\$/ | $last |/"
  fi
done
wait "$BENCH" || true
grep -E '^(tps|number of transactions actually)' /tmp/retention-layout-pgbench.log || true
