#!/usr/bin/env bash
# The one benchmark command: Queen-J side by side with a real Apache Kafka 4.x (KRaft, single node), loopback only.
# Every step is bounded (record counts + `timeout`), and the brokers run one at a time so they never share the CPU.
# See bench/README.md for what is measured and under which settings.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
OUT="${BENCH_OUT:-$ROOT/bench/out/$(date -u +%Y%m%d-%H%M%S)}"
HEAP="${BENCH_HEAP:-256m}"                 # same -Xmx for both brokers: the issue's heap target
RECORDS="${BENCH_RECORDS:-1000000}"        # ProducerPerformance / ConsumerPerformance record count
SIZE="${BENCH_RECORD_SIZE:-200}"
PARTS="${BENCH_PARTITIONS:-8}"
E2E_MSGS="${BENCH_E2E_MESSAGES:-3000}"     # EndToEndLatency sends one at a time: the rate is one per round trip
STEP_TIMEOUT="${BENCH_STEP_TIMEOUT:-180}"  # seconds; any tool still running after this is killed, result "timeout"
NATIVE_SECONDS="${BENCH_NATIVE_SECONDS:-15}"
NATIVE_WORKLOADS="${BENCH_NATIVE_WORKLOADS:-push,floor,pushpop,latency,partitions,crosslatency}"  # a subset for quick iterations
# BENCH_DASHBOARD_POLL=<ms> (unset = off): an open dashboard's overview refresh every <ms> during the native workloads
mkdir -p "$OUT"
RES="$OUT/results.tsv"; : > "$RES"
log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }
rec() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$RES"; }   # side workload value unit

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { # first port from $1 up that nothing listens on (other builds on this machine hold the usual ones)
  local p=$1; while port_busy "$p" || port_busy "$((p + 1))"; do p=$((p + 7)); done; echo "$p"
}
KAFKA_PORT=$(pick_port 39092); KAFKA_CTRL_PORT=$((KAFKA_PORT + 1))
Q_KAFKA_PORT=$(pick_port 49092); Q_HTTP_PORT=$((Q_KAFKA_PORT + 1))
Q2_KAFKA_PORT=$(pick_port $((Q_KAFKA_PORT + 2))); Q2_HTTP_PORT=$((Q2_KAFKA_PORT + 1))   # a second instance

alive_or_flag() { # pid side: a broker that stopped before we stopped it makes the run invalid; say so in the table
  kill -0 "$1" 2>/dev/null && return 0
  log "$2 broker (pid $1) is gone before the end of its workloads: this run is INVALID"
  rec "$2" "RUN INVALID: broker stopped before the end of its workloads" "yes" -
}

PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
trap 'exit 130' INT TERM   # exit runs the EXIT trap, which stops what this script started

wait_port() { # port seconds pid: the port answers while our process is alive
  local i; for ((i = 0; i < $2 * 10; i++)); do
    kill -0 "$3" 2>/dev/null || return 1
    port_busy "$1" && return 0; sleep 0.1
  done
  return 1
}
stop_pid() { # pid: SIGTERM, wait up to 30 s, then SIGKILL
  local i; kill "$1" 2>/dev/null
  for ((i = 0; i < 300; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null
}
peak_rss_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null; }
peak_heap_mib() { # largest heap occupancy seen before any GC in a -Xlog:gc file (young gen sizing included)
  grep -oE '[0-9]+M->[0-9]+M' "$1" 2>/dev/null | awk -F'M->' '{if ($1 > m) m = $1} END {print m + 0}'
}
live_heap_mib() { # largest heap occupancy right after a GC: an upper bound of the live set (young GCs keep old garbage)
  grep -oE '[0-9]+M->[0-9]+M' "$1" 2>/dev/null | sed 's/M$//' | awk -F'M->' '{if ($2 > m) m = $2} END {print m + 0}'
}

log "building (./mvnw -B -q -DskipTests package)"
./mvnw -B -q -DskipTests package || { log "build failed"; exit 1; }
./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" || { log "classpath failed"; exit 1; }
CP="$(cat "$OUT/cp.txt"):$ROOT/bench/target/classes"
tool() { timeout -k 5 "$STEP_TIMEOUT" java -Xmx512m -cp "$CP" "$@"; }

# ---- the three Kafka-tool workloads, identical for both sides --------------------------------------------------
kafka_workloads() { # side bootstrap [variant]: a variant (a durability setting) runs only the writing workloads
  local side=$1 bs=$2 variant=${3:-} t="bench-produce" e2e="bench-e2e" f="$1" x="" line v
  if [ -n "$variant" ]; then t="$t-v"; e2e="$e2e-v"; f="$side-${variant// /-}"; x=" — $variant"; fi
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --create --topic "$t" \
    --partitions "$PARTS" --replication-factor 1 > "$OUT/$f-topic.txt" 2>&1
  log "$side${x}: ProducerPerformance $RECORDS x $SIZE B, acks=all, idempotent (default), $PARTS partitions"
  tool org.apache.kafka.tools.ProducerPerformance --topic "$t" --num-records "$RECORDS" --record-size "$SIZE" \
    --throughput -1 --producer-props bootstrap.servers="$bs" acks=all > "$OUT/$f-produce.txt" 2>&1
  line=$(grep '50th' "$OUT/$f-produce.txt" | tail -1)
  if [ -n "$line" ]; then
    rec "$side" "kafka produce (records/s)$x" "$(awk '{print $4}' <<<"$line")" rec/s
    rec "$side" "kafka produce p99 send latency (ms)$x" "$(sed -E 's/.* ([0-9.]+) ms 99th.*/\1/' <<<"$line")" ms
  else rec "$side" "kafka produce (records/s)$x" "failed/timeout" -; fi

  if [ -z "$variant" ]; then
  log "$side: ConsumerPerformance $RECORDS records, one consumer in a group"
  tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bs" --topic "$t" --messages "$RECORDS" \
    --group "bench-cg-$side" --timeout 60000 > "$OUT/$side-consume.txt" 2>&1
  line=$(grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]+, ' "$OUT/$side-consume.txt" | tail -1)
  if [ -n "$line" ]; then
    # start, end, MB, MB/s, nMsg, nMsg/s, rebalance ms, fetch ms, fetch MB/s, fetch nMsg/s
    v=$(awk -F', *' '{print $5}' <<<"$line")
    rec "$side" "kafka consume (records/s, incl. group join)" "$(awk -F', *' '{print $6}' <<<"$line")" rec/s
    rec "$side" "kafka consume (records/s, fetch only)" "$(awk -F', *' '{print $10}' <<<"$line")" rec/s
    rec "$side" "kafka consume records received" "$v" rec
    if [ "$side" = queen ]; then
      # the same records read back by a bare loop through the same driver: what our fetch can at most approach
      rec "$side" "kafka consume (records/s, fetch only) vs Postgres read floor" \
        "$(awk -F', *' '{print $10}' <<<"$line")" rec/s
      log "$side: Postgres read floor over the same records"
      tool dev.queenj.bench.BenchMain readfloor "$PG_URL" "$t" >> "$RES" 2> "$OUT/read-floor.log" \
        || log "read floor failed, see $OUT/read-floor.log"
    fi
  else rec "$side" "kafka consume (records/s, incl. group join)" "failed/timeout" -; fi
  fi

  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --create --topic "$e2e" \
    --partitions 1 --replication-factor 1 >> "$OUT/$f-topic.txt" 2>&1
  log "$side${x}: EndToEndLatency $E2E_MSGS messages x $SIZE B, acks=all (one in flight)"
  tool org.apache.kafka.tools.EndToEndLatency "$bs" "$e2e" "$E2E_MSGS" all "$SIZE" > "$OUT/$f-e2e.txt" 2>&1
  line=$(grep 'Percentiles' "$OUT/$f-e2e.txt" | tail -1)
  if [ -n "$line" ]; then
    rec "$side" "kafka e2e latency p50 (ms)$x" "$(sed -E 's/.*50th = ([0-9.]+).*/\1/' <<<"$line")" ms
    rec "$side" "kafka e2e latency p99 (ms)$x" "$(sed -E 's/.* 99th = ([0-9.]+).*/\1/' <<<"$line")" ms
    rec "$side" "kafka e2e latency p99.9 (ms)$x" "$(sed -E 's/.*99\.9th = ([0-9.]+).*/\1/' <<<"$line")" ms
  else rec "$side" "kafka e2e latency p99 (ms)$x" "failed/timeout" -; fi
}

# The writing workloads are compared under three durability settings. The main rows compare each system as shipped
# (Kafka: page cache, no fsync; Queen-J: a durable commit per write). BOTH_FSYNC pairs Queen-J's rows with a Kafka
# that fsyncs every write (log.flush.interval.messages=1); NO_FSYNC pairs Kafka's default with a Queen-J whose
# Postgres commits without waiting for the WAL flush (synchronous_commit=off, set for the bench's database only).
BOTH_FSYNC="both fsync each write"
NO_FSYNC="neither fsyncs"
same_rows_as() { # side variant: the side's main writing rows once more under the variant's names (same settings)
  awk -F'\t' -v side="$1" -v x=" — $2" 'BEGIN {OFS = "\t"}
    $1 == side && $2 ~ /^kafka (produce|e2e)/ && $2 !~ / — / {print $1, $2 x, $3, $4}' "$RES" > "$RES.same"
  cat "$RES.same" >> "$RES"; rm -f "$RES.same"
}

# ---- Apache Kafka (reference) ----------------------------------------------------------------------------------
kafka_pass() { # [variant]: a broker on fresh storage, its workloads, stopped; the variant fsyncs every write
  local variant=${1:-} KDIR KPID
  KDIR="$OUT/kafka${variant:+-${variant// /-}}"; mkdir -p "$KDIR/logs"
  cat > "$KDIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CTRL_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CTRL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KDIR/logs
num.partitions=$PARTS
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Flush: Kafka's defaults (log.flush.interval.messages/ms unset): acks=all means "in the page cache of every ISR",
# no fsync per request. This is the reference as shipped; not tuned.
EOF
  # the durable variant: fsync the log after every appended batch, as Postgres does on every commit
  [ -n "$variant" ] && echo "log.flush.interval.messages=1" >> "$KDIR/server.properties"
  log "kafka${variant:+ ($variant)}: formatting KRaft storage"
  tool kafka.tools.StorageTool format --standalone -t "$(java -cp "$CP" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
    -c "$KDIR/server.properties" > "$KDIR/format.txt" 2>&1 || { log "kafka format failed, see $KDIR/format.txt"; }
  java -Xmx"$HEAP" -Xms"$HEAP" -XX:+UseG1GC -Xlog:gc:file="$KDIR/gc.log" -cp "$CP" kafka.Kafka "$KDIR/server.properties" \
    > "$KDIR/kafka.log" 2>&1 &
  KPID=$!; PIDS+=("$KPID")
  if wait_port "$KAFKA_PORT" 90 "$KPID"; then
    log "kafka: up (pid $KPID, port $KAFKA_PORT)"
    kafka_workloads kafka "127.0.0.1:$KAFKA_PORT" "$variant"
    alive_or_flag "$KPID" kafka
    if [ -z "$variant" ]; then
      rec kafka "broker peak heap used (MiB)" "$(peak_heap_mib "$KDIR/gc.log")" MiB
      rec kafka "broker max heap after GC (MiB)" "$(live_heap_mib "$KDIR/gc.log")" MiB
      rec kafka "broker peak RSS (MiB; ours: JVM only, Postgres separate)" "$(peak_rss_mib "$KPID")" MiB
    fi
  else log "kafka did not start, see $KDIR/kafka.log"; fi
  stop_pid "$KPID"
  [ "${BENCH_KEEP_DATA:-0}" = 1 ] || rm -rf "$KDIR/logs"   # ~GBs of segments; the tool outputs stay
}
if [ "${BENCH_SKIP_KAFKA:-0}" != 1 ]; then
  kafka_pass
  same_rows_as kafka "$NO_FSYNC"
  [ "${BENCH_SKIP_KAFKA_TOOLS:-0}" != 1 ] && kafka_pass "$BOTH_FSYNC"
fi

# ---- Queen-J (ours) --------------------------------------------------------------------------------------------
QDIR="$OUT/queen"; mkdir -p "$QDIR"
# a private copy of the jar: a broad `pkill -f queen-server.jar` from another build on the machine must not stop it
cp queen-server/target/queen-server.jar "$QDIR/queen-j-under-bench.jar"
start_queen() { # [log suffix]: the server on its data dir ($QDIR/data, kept between starts); sets QPID and PG_URL
  QUEEN_DATA_DIR="$QDIR/data" QUEEN_HTTP_PORT=$Q_HTTP_PORT QUEEN_KAFKA_PORT=$Q_KAFKA_PORT \
    QUEEN_KAFKA_ADVERTISED_HOST=127.0.0.1 QUEEN_KAFKA_DEFAULT_PARTITIONS=$PARTS \
    java -Xmx"$HEAP" -Xms"$HEAP" -XX:+UseG1GC -Xlog:gc:file="$QDIR/gc${1:-}.log" -jar "$QDIR/queen-j-under-bench.jar" \
    > "$QDIR/queen${1:-}.log" 2>&1 &
  QPID=$!; PIDS+=("$QPID")
  wait_port "$Q_HTTP_PORT" 120 "$QPID" && wait_port "$Q_KAFKA_PORT" 30 "$QPID" || return 1
  PG_PORT=$(grep -oE 'embedded Postgres started on port [0-9]+' "$QDIR/queen${1:-}.log" | grep -oE '[0-9]+$' | head -1)
  PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
  log "queen: up (pid $QPID, Kafka port $Q_KAFKA_PORT, HTTP $Q_HTTP_PORT, Postgres on $PG_PORT)"
}
if start_queen; then
  pgstat() { java -cp "$CP" dev.queenj.bench.BenchMain pgstat "$PG_URL" 2>/dev/null; }
  X0=$(pgstat)
  [ "${BENCH_SKIP_KAFKA_TOOLS:-0}" != 1 ] && kafka_workloads queen "127.0.0.1:$Q_KAFKA_PORT"
  alive_or_flag "$QPID" queen
  X1=$(pgstat)
  if [ -n "$X0" ] && [ -n "$X1" ]; then
    # one Kafka-path pass = RECORDS produced + RECORDS consumed + E2E_MSGS: commits per produced record
    rec queen "Postgres commits per produced Kafka record (whole Kafka pass)" \
      "$(awk -v a="$X0" -v b="$X1" -v n="$RECORDS" 'BEGIN {printf "%.4f", (b - a) / n}')" commits
  fi
  if [ "${BENCH_SKIP_NATIVE:-0}" != 1 ]; then
    log "queen: native HTTP workloads + Postgres floor (${NATIVE_SECONDS}s each)${BENCH_DASHBOARD_POLL:+, a dashboard polling every ${BENCH_DASHBOARD_POLL} ms}"
    ONE_INSTANCE=$(tr ',' '\n' <<<"$NATIVE_WORKLOADS" | grep -vx crosslatency | paste -sd, -)
    [ -n "$ONE_INSTANCE" ] && { timeout -k 5 $((STEP_TIMEOUT * 3)) java -Xmx512m -cp "$CP" dev.queenj.bench.BenchMain \
      native "http://127.0.0.1:$Q_HTTP_PORT" "$PG_URL" "$NATIVE_SECONDS" "$SIZE" "$ONE_INSTANCE" >> "$RES" \
      2> "$OUT/native.log" || log "native workloads failed or timed out, see $OUT/native.log"; }
    if tr ',' '\n' <<<"$NATIVE_WORKLOADS" | grep -qx crosslatency; then
      # a second server on the same Postgres (the first one's embedded database, over TCP), as instances run behind
      # a load balancer: push through the first, long-poll on the second
      log "queen: a second instance on the same Postgres (HTTP $Q2_HTTP_PORT) for the cross-instance latency"
      QUEEN_PG_URL="$PG_URL" QUEEN_DATA_DIR="$QDIR/data-b" QUEEN_HTTP_PORT=$Q2_HTTP_PORT QUEEN_KAFKA_PORT=$Q2_KAFKA_PORT \
        java -Xmx"$HEAP" -Xms"$HEAP" -XX:+UseG1GC -jar "$QDIR/queen-j-under-bench.jar" > "$QDIR/queen-b.log" 2>&1 &
      Q2PID=$!; PIDS+=("$Q2PID")
      if wait_port "$Q2_HTTP_PORT" 120 "$Q2PID"; then
        # the dashboard poller (BENCH_DASHBOARD_POLL) runs with the one-instance workloads only
        BENCH_DASHBOARD_POLL= timeout -k 5 "$STEP_TIMEOUT" java -Xmx512m -cp "$CP" dev.queenj.bench.BenchMain native \
          "http://127.0.0.1:$Q_HTTP_PORT" "$PG_URL" "$NATIVE_SECONDS" "$SIZE" crosslatency \
          "http://127.0.0.1:$Q2_HTTP_PORT" >> "$RES" 2> "$OUT/native-cross.log" \
          || log "cross-instance latency failed or timed out, see $OUT/native-cross.log"
        alive_or_flag "$Q2PID" queen
      else log "the second instance did not start, see $QDIR/queen-b.log"; fi
      stop_pid "$Q2PID"
    fi
  fi
  alive_or_flag "$QPID" queen
  rec queen "broker peak heap used (MiB)" "$(peak_heap_mib "$QDIR/gc.log")" MiB
  rec queen "broker max heap after GC (MiB)" "$(live_heap_mib "$QDIR/gc.log")" MiB
  rec queen "broker peak RSS (MiB; ours: JVM only, Postgres separate)" "$(peak_rss_mib "$QPID")" MiB
  same_rows_as queen "$BOTH_FSYNC"
  # for the pass below: sessions of this database commit without waiting for the WAL flush (a database setting wins
  # over the server's command line, which says on); the server itself is never run so
  [ "${BENCH_SKIP_KAFKA_TOOLS:-0}" != 1 ] && java -cp "$CP" dev.queenj.bench.BenchMain sql "$PG_URL" \
    "ALTER DATABASE postgres SET synchronous_commit = off" > "$OUT/queen-async-setting.txt" 2>&1
else log "queen did not start, see $QDIR/queen.log"; fi
stop_pid "$QPID"
if [ "${BENCH_SKIP_KAFKA_TOOLS:-0}" != 1 ] && grep -q '^ok' "$OUT/queen-async-setting.txt" 2>/dev/null; then
  if start_queen "-async"; then
    kafka_workloads queen "127.0.0.1:$Q_KAFKA_PORT" "$NO_FSYNC"
    alive_or_flag "$QPID" queen
  else log "queen did not start again, see $QDIR/queen-async.log"; fi
  stop_pid "$QPID"
fi
[ "${BENCH_KEEP_DATA:-0}" = 1 ] || rm -rf "$QDIR/data" "$QDIR/data-b" "$QDIR/queen-j-under-bench.jar"   # ~GBs of Postgres data

# ---- the table ------------------------------------------------------------------------------------------------
COND="2 cores / $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), loopback, -Xmx$HEAP each, one broker at a time"
{
  echo
  echo "Conditions: $COND; Kafka 4.1.1 KRaft default flush (page cache); Queen-J embedded Postgres fsync=on synchronous_commit=on"
  echo "Rows marked '— $BOTH_FSYNC': Kafka with log.flush.interval.messages=1 against Queen-J as shipped;"
  echo "rows marked '— $NO_FSYNC': Kafka as shipped against Queen-J's Postgres with synchronous_commit=off."
  echo "Raw output: $OUT"
  echo
  "$ROOT/bench/table.sh" "$RES"
} | tee "$OUT/table.md"
