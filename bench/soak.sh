#!/usr/bin/env bash
# The retention soak: Queen-J alone (embedded Postgres, fresh data dir, -Xmx256m like run.sh), steady native
# push+pop/ack and Kafka produce+consume for BENCH_SOAK_SECONDS (default 600) against a queue and a topic that keep
# messages BENCH_SOAK_RETENTION_SECONDS (default 60), retention running every BENCH_SOAK_RETENTION_INTERVAL ms
# (default 10000). Prints one row every BENCH_SOAK_SAMPLE_SECONDS (default 30): rates, messages table+index size, all
# tables' size, live/dead rows, server heap after its latest GC, messages deleted by retention; then how much each
# figure varied after warm-up. Raw output in bench/out/soak-<timestamp>/. See bench/README.md and Soak.java.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
OUT="${BENCH_OUT:-$ROOT/bench/out/soak-$(date -u +%Y%m%d-%H%M%S)}"
HEAP="${BENCH_HEAP:-256m}"
SECONDS_TOTAL="${BENCH_SOAK_SECONDS:-600}"
SAMPLE="${BENCH_SOAK_SAMPLE_SECONDS:-30}"
RETENTION="${BENCH_SOAK_RETENTION_SECONDS:-60}"
INTERVAL="${BENCH_SOAK_RETENTION_INTERVAL:-10000}"
mkdir -p "$OUT"
log() { echo "[soak $(date -u +%H:%M:%S)] $*" >&2; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { local p=$1; while port_busy "$p" || port_busy "$((p + 1))"; do p=$((p + 7)); done; echo "$p"; }
KAFKA_PORT=$(pick_port 59092); HTTP_PORT=$((KAFKA_PORT + 1))
QPID=""
cleanup() { [ -n "$QPID" ] && kill "$QPID" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building (./mvnw -B -q -DskipTests package)"
  ./mvnw -B -q -DskipTests package || { log "build failed"; exit 1; }
fi
./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" || { log "classpath failed"; exit 1; }
CP="$(cat "$OUT/cp.txt"):$ROOT/bench/target/classes"
# a private copy of the jar, so that another build's broad pkill cannot stop it
cp queen-server/target/queen-server.jar "$OUT/queen-j-under-soak.jar"

QUEEN_DATA_DIR="$OUT/data" QUEEN_HTTP_PORT=$HTTP_PORT QUEEN_KAFKA_PORT=$KAFKA_PORT \
  QUEEN_KAFKA_ADVERTISED_HOST=127.0.0.1 RETENTION_INTERVAL=$INTERVAL EVICTION_INTERVAL=$INTERVAL \
  java -Xmx"$HEAP" -Xms"$HEAP" -XX:+UseG1GC -Xlog:gc:file="$OUT/gc.log" -jar "$OUT/queen-j-under-soak.jar" \
  > "$OUT/queen.log" 2>&1 &
QPID=$!
for ((i = 0; i < 1200; i++)); do
  kill -0 "$QPID" 2>/dev/null || { log "server exited; see $OUT/queen.log"; exit 1; }
  port_busy "$KAFKA_PORT" && break; sleep 0.1
done
PG_PORT=$(grep -oE 'embedded Postgres started on port [0-9]+' "$OUT/queen.log" | grep -oE '[0-9]+$' | head -1)
log "server up (pid $QPID, HTTP $HTTP_PORT, Kafka $KAFKA_PORT, Postgres $PG_PORT); soak ${SECONDS_TOTAL} s," \
  "retention ${RETENTION} s every ${INTERVAL} ms"
{
  echo "conditions: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at start, heap $HEAP, retention" \
    "${RETENTION} s (queue retentionSeconds and topic retention.ms), RETENTION_INTERVAL=${INTERVAL} ms," \
    "$(date -u +%FT%TZ)"
  java -Xmx512m -cp "$CP" dev.queenj.bench.BenchMain soak "http://127.0.0.1:$HTTP_PORT" "127.0.0.1:$KAFKA_PORT" \
    "postgresql://postgres@127.0.0.1:$PG_PORT/postgres" "$SECONDS_TOTAL" "$SAMPLE" "$RETENTION" "$OUT/gc.log" \
    2> "$OUT/soak.err"
  kill -0 "$QPID" 2>/dev/null || echo "RUN INVALID: the server stopped before the end of the soak"
  echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -E "retention cycle|eviction cycle" "$OUT/queen.log" | tail -3
} | tee "$OUT/soak.md"
