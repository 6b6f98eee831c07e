package dev.queenj.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The native HTTP workloads against a running Queen-J, and the Postgres floor, each bounded by a duration. Prints
 * one tab-separated row per figure on stdout: side, workload, value, unit (the format run.sh's table reads). A
 * figure that shares its workload name with a {@code floor} row gets the floor as its reference.
 *
 * <p>Closed-loop load: {@code CONCURRENCY} requests in flight over as many HTTP/1.1 connections, each chain issuing
 * its next request when the previous one answers, until the deadline. Payloads are JSON objects of
 * {@code payloadBytes} bytes.
 */
final class NativeBench {
  static final int CONCURRENCY = 64;
  static final int FLOOR_CONNECTIONS = 16; // the server's default Postgres pool size
  static final String FLOOR_PUSH = "native push batch 100, 1000 partitions (msgs/s) vs Postgres floor";

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http;
  /** A second server on the same Postgres, for the cross-instance workload; null without one. */
  private final HttpClient other;
  private final String payload;
  private final int seconds;
  private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

  private NativeBench(String httpBase, String otherBase, int seconds, int payloadBytes) {
    this.http = client(httpBase);
    this.other = otherBase == null ? null : client(otherBase);
    this.seconds = seconds;
    // {"d":"xxx..."} totalling payloadBytes
    this.payload = "{\"d\":\"" + "x".repeat(Math.max(1, payloadBytes - 8)) + "\"}";
  }

  private HttpClient client(String httpBase) {
    URI base = URI.create(httpBase);
    return vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost())
        .setDefaultPort(base.getPort()).setKeepAlive(true).setIdleTimeout(0),
        new PoolOptions().setHttp1MaxSize(CONCURRENCY * 2));
  }

  /**
   * Every workload, in the order a full run measures them; {@code BENCH_NATIVE_WORKLOADS} may name a subset.
   * {@code crosslatency} needs a second server on the same Postgres (run.sh starts one).
   */
  static final List<String> WORKLOADS = List.of("push", "floor", "pushpop", "latency", "partitions", "crosslatency");
  /** Push → pop rounds run before the timed ones, and timed rounds. */
  static final int LATENCY_WARMUP = 100;
  static final int LATENCY_SAMPLES = 500;

  static void run(String httpBase, String pgUrl, int seconds, int payloadBytes, List<String> only, String otherBase)
      throws Exception {
    NativeBench b = new NativeBench(httpBase, otherBase, seconds, payloadBytes);
    Long pollMs = DashboardPoller.intervalFromEnvironment();
    DashboardPoller dashboard = pollMs == null ? null : new DashboardPoller(b.vertx, httpBase, pollMs);
    if (dashboard != null) {
      dashboard.start();
    }
    try {
      if (only.contains("push")) {
        for (int batch : new int[] {1, 10, 100}) {
          long c0 = BenchMain.pgCommits(pgUrl);
          Stats s = b.push("push-b" + batch + "-" + b.run, batch, 1000, b.deadline());
          long c1 = BenchMain.pgCommits(pgUrl);
          row("queen", "native push batch " + batch + ": Postgres commits per message", String.format(Locale.ROOT,
              "%.4f", s.items == 0 ? 0.0 : (double) (c1 - c0) / s.items), "commits");
          String name = batch == 100 ? FLOOR_PUSH : "native push batch " + batch + ", 1000 partitions (msgs/s)";
          row("queen", name, s.rate(), "msg/s");
          row("queen", "native push batch " + batch + " request p99 (ms)", s.p(0.99), "ms");
        }
      }
      if (only.contains("floor")) {
        b.floor(pgUrl, 100, payloadBytes);
      }
      if (only.contains("pushpop")) {
        b.pushPop("native push b10 + pop/ack b100, 1000 partitions (one per request)", 1000, true, 1);
      }
      if (only.contains("latency")) {
        b.latency(b.http, "", LATENCY_WARMUP, LATENCY_SAMPLES);
      }
      if (only.contains("crosslatency") && b.other != null) {
        // the same rounds, the long-poll parked on the second server: woken by its LISTEN connection
        b.latency(b.other, ", across two instances (push on A, pop on B)", LATENCY_WARMUP, LATENCY_SAMPLES);
      }
      if (only.contains("partitions")) {
        // pops claim up to 100 partitions (batch is a cap over all of them): with one partition per pop, spreading
        // pushes item by item over 100,000 partitions leaves about one message per partition, one per pop
        double p10 = b.pushPop("native push b100 + pop/ack b100 x 100 partitions, 10 partitions (item by item)", 10,
            false, 100);
        double p100k = b.pushPop("native push b100 + pop/ack b100 x 100 partitions, 100000 partitions (item by item)",
            100_000, false, 100);
        if (p10 > 0) {
          row("queen", "native push+pop 100000 vs 10 partitions (ratio of consumed msgs/s)",
              String.format(Locale.ROOT, "%.3f", p100k / p10), "x");
        }
      }
    } finally {
      if (dashboard != null) {
        dashboard.stopAndReport();
      }
      b.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private long deadline() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
  }

  static void row(String side, String workload, Object value, String unit) {
    System.out.println(side + "\t" + workload + "\t" + value + "\t" + unit);
    System.out.flush();
    System.err.println(side + " | " + workload + " | " + value + " " + unit);
  }

  // ---- HTTP ------------------------------------------------------------------------------------------------------

  private Future<JsonObject> call(HttpMethod method, String uri, Buffer body) {
    return call(http, method, uri, body);
  }

  private Future<JsonObject> call(HttpClient client, HttpMethod method, String uri, Buffer body) {
    return client.request(method, uri).compose(req -> {
      req.putHeader("Content-Type", "application/json");
      return body == null ? req.send() : req.send(body);
    }).compose(resp -> resp.body().map(buf -> {
      if (resp.statusCode() >= 300) {
        throw new IllegalStateException(method + " " + uri + " -> " + resp.statusCode() + " " + buf);
      }
      if (buf.length() == 0) {
        return new JsonObject();
      }
      Object json = buf.toJson();
      // a push answers an array of per-item outcomes; count only items the server says it queued
      return json instanceof JsonArray items ? new JsonObject().put("items", items) : (JsonObject) json;
    }));
  }

  private Buffer pushBody(String queue, int batch, int partitions, AtomicLong seq) {
    return pushBody(queue, batch, partitions, seq, false);
  }

  /**
   * Without {@code spread}: one conversation per request (as a Kafka producer batch goes to one partition),
   * round-robin over the partitions. With it: every item to the next partition, so that a short run still touches
   * all of a large partition count.
   */
  private Buffer pushBody(String queue, int batch, int partitions, AtomicLong seq, boolean spread) {
    StringBuilder sb = new StringBuilder(batch * (payload.length() + 64)).append("{\"items\":[");
    long p = seq.getAndIncrement() % partitions;
    for (int i = 0; i < batch; i++) {
      if (spread && i > 0) {
        p = seq.getAndIncrement() % partitions;
      }
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"queue\":\"").append(queue).append("\",\"partition\":\"p").append(p)
          .append("\",\"payload\":").append(payload).append('}');
    }
    return Buffer.buffer(sb.append("]}").toString());
  }

  /** Closed loop: push batches until the deadline. */
  private Stats push(String queue, int batch, int partitions, long deadline) throws Exception {
    AtomicLong seq = new AtomicLong(ThreadLocalRandom.current().nextInt(partitions));
    return loop(CONCURRENCY, deadline, () -> pushOnce(queue, batch, partitions, seq));
  }

  private Future<Integer> pushOnce(String queue, int batch, int partitions, AtomicLong seq) {
    return pushOnce(queue, batch, partitions, seq, false);
  }

  private Future<Integer> pushOnce(String queue, int batch, int partitions, AtomicLong seq, boolean spread) {
    return call(HttpMethod.POST, "/api/v1/push", pushBody(queue, batch, partitions, seq, spread)).map(r -> {
      JsonArray items = r.getJsonArray("items", new JsonArray());
      int queued = 0;
      for (int i = 0; i < items.size(); i++) {
        if ("queued".equals(items.getJsonObject(i).getString("status"))) {
          queued++;
        }
      }
      if (queued != batch) {
        throw new IllegalStateException("push queued " + queued + " of " + batch + ": " + items);
      }
      return queued;
    });
  }

  /** Pushers and pop(batch 100)+ack consumers at once; reports pushed and consumed rates; returns consumed/s. */
  private double pushPop(String name, int partitions, boolean smallPushes, int popPartitions) throws Exception {
    boolean spread = !smallPushes;
    String queue = "pp-" + partitions + "-" + run;
    int batch = smallPushes ? 10 : 100;
    long deadline = deadline();
    AtomicLong seq = new AtomicLong();
    Future<Stats> pushed = loopAsync(CONCURRENCY / 2, deadline, () -> pushOnce(queue, batch, partitions, seq, spread));
    // consumers keep going 3 s after the pushers stop, to show whether a backlog is left
    long popDeadline = deadline + TimeUnit.SECONDS.toNanos(3);
    Future<Stats> consumed = loopAsync(CONCURRENCY / 2, popDeadline, () -> popAck(queue, 100, popPartitions));
    Stats p = pushed.toCompletionStage().toCompletableFuture().get(seconds + 60L, TimeUnit.SECONDS);
    Stats c = consumed.toCompletionStage().toCompletableFuture().get(seconds + 60L, TimeUnit.SECONDS);
    row("queen", name + ": pushed (msgs/s)", p.rate(), "msg/s");
    // consumed rate over the push window, so the two are comparable; the extra 3 s only drain
    double consumedRate = c.items * 1e9 / (deadline - p.startNanos);
    row("queen", name + ": popped+acked (msgs/s)", String.format(Locale.ROOT, "%.0f", consumedRate), "msg/s");
    row("queen", name + ": acked / pushed", String.format(Locale.ROOT, "%.3f",
        p.items == 0 ? 0.0 : (double) c.items / p.items), "x");
    return consumedRate;
  }

  private Future<Integer> popAck(String queue, int batch, int partitions) {
    return call(HttpMethod.GET, "/api/v1/pop/queue/" + queue + "?batch=" + batch + "&partitions=" + partitions
        + "&wait=true&timeout=1000", null)
        .compose(r -> {
          JsonArray msgs = r.getJsonArray("messages", new JsonArray());
          return msgs.isEmpty() ? Future.succeededFuture(0) : ack(msgs).map(x -> msgs.size());
        });
  }

  /** Acknowledges popped messages as completed, in one request. */
  private Future<JsonObject> ack(JsonArray msgs) {
    return call(HttpMethod.POST, "/api/v1/ack/batch", ackBatch(msgs).toBuffer());
  }

  /** The {@code /ack/batch} body that completes every message of a pop answer's {@code messages}. */
  static JsonObject ackBatch(JsonArray msgs) {
    JsonArray acks = new JsonArray();
    for (int i = 0; i < msgs.size(); i++) {
      JsonObject m = msgs.getJsonObject(i);
      acks.add(new JsonObject().put("transactionId", m.getString("transactionId"))
          .put("partitionId", m.getString("partitionId")).put("leaseId", m.getString("leaseId"))
          .put("status", "completed"));
    }
    return new JsonObject().put("acknowledgments", acks);
  }

  /**
   * Sequential: park a long-poll pop, push one message, time push start → push answered and push start → pop
   * answered; then acknowledge the message, untimed (as Kafka's EndToEndLatency commits after taking its time). The
   * first {@code warmup} rounds are not counted: the path runs hot afterwards, as it does under any steady traffic.
   */
  private void latency(HttpClient popVia, String across, int warmup, int n) throws Exception {
    String queue = "lat-" + run + (across.isEmpty() ? "" : "-x");
    long[] lat = new long[n];
    long[] pushLat = new long[n];
    int got = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(30, seconds * 3L));
    // create the queue and the conversation, and drain it
    call(HttpMethod.POST, "/api/v1/push", pushBody(queue, 1, 1, new AtomicLong())).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    call(popVia, HttpMethod.GET, "/api/v1/pop/queue/" + queue + "?batch=10&autoAck=true", null).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < warmup + n && System.nanoTime() < deadline; i++) {
      Future<JsonObject> pop =
          call(popVia, HttpMethod.GET, "/api/v1/pop/queue/" + queue + "?batch=1&wait=true&timeout=5000", null);
      Thread.sleep(5); // let the pop park
      long t0 = System.nanoTime();
      long[] pushed = new long[1];
      call(HttpMethod.POST, "/api/v1/push", pushBody(queue, 1, 1, new AtomicLong()))
          .onSuccess(answer -> pushed[0] = System.nanoTime());
      JsonObject r = pop.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long t1 = System.nanoTime();
      JsonArray msgs = r.getJsonArray("messages", new JsonArray());
      if (msgs.isEmpty()) {
        continue;
      }
      ack(msgs).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (i >= warmup && pushed[0] != 0) {
        pushLat[got] = pushed[0] - t0;
        lat[got++] = t1 - t0;
      }
    }
    Stats s = new Stats();
    s.lat = Arrays.copyOf(lat, got);
    s.count = got;
    Stats push = new Stats();
    push.lat = Arrays.copyOf(pushLat, got);
    push.count = got;
    row("queen", "native push -> long-poll pop latency p50 (ms), one at a time" + across, s.p(0.50), "ms");
    row("queen", "native push -> long-poll pop latency p99 (ms), one at a time" + across, s.p(0.99), "ms");
    row("queen", "native push answered p50 (ms), same rounds" + across, push.p(0.50), "ms");
    row("queen", "native push answered p99 (ms), same rounds" + across, push.p(0.99), "ms");
    row("queen", "native push -> long-poll pop samples (after warm-up)" + across, got + "/" + n, "-");
  }

  // ---- Postgres floor --------------------------------------------------------------------------------------------

  /**
   * The same rows as a native push of {@code batch} items, written by a bare loop through the same driver
   * (vertx-pg-client): one multi-row INSERT ... SELECT FROM unnest(...) per batch, autocommit (one durable commit per
   * batch, like a push), into a table created LIKE messages INCLUDING ALL (same columns, primary key and indexes),
   * in the server's own database (same fsync/synchronous_commit), over as many connections as the server's pool,
   * with the statement prepared once per connection, as the server runs its own ({@code Database.connect}).
   */
  private void floor(String pgUrl, int batch, int payloadBytes) throws Exception {
    PgConnectOptions connect = PgConnectOptions.fromUri(pgUrl).setCachePreparedStatements(true);
    Pool pool = PgBuilder.pool().connectingTo(connect)
        .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(FLOOR_CONNECTIONS)).using(vertx).build();
    String table = "bench_floor_" + run;
    await(pool.query("CREATE TABLE " + table + " (LIKE messages INCLUDING ALL)").execute());
    byte[] bytes = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    UUID queueId = UUID.randomUUID();
    AtomicLong offsets = new AtomicLong();
    String sql = "INSERT INTO " + table
        + " (queue_id, kafka_partition, log_offset, partition_id, id, transaction_id, payload, end_position)"
        + " SELECT * FROM unnest($1::uuid[], $2::int[], $3::bigint[], $4::uuid[], $5::uuid[], $6::text[], $7::bytea[],"
        + " $8::bigint[])";
    // as the append positions a record: its value and 16 bytes (no key, no headers here)
    long recordSize = bytes.length + 16;
    UUID[] partitionIds = new UUID[1000];
    for (int i = 0; i < partitionIds.length; i++) {
      partitionIds[i] = UUID.randomUUID();
    }
    Stats s = loop(FLOOR_CONNECTIONS, deadline(), () -> {
      long base = offsets.getAndAdd(batch);
      UUID pid = partitionIds[(int) ((base / batch) % partitionIds.length)];
      UUID[] q = new UUID[batch];
      Integer[] kp = new Integer[batch];
      Long[] off = new Long[batch];
      UUID[] part = new UUID[batch];
      UUID[] ids = new UUID[batch];
      String[] tx = new String[batch];
      Buffer[] pay = new Buffer[batch];
      Long[] ends = new Long[batch];
      for (int i = 0; i < batch; i++) {
        q[i] = queueId;
        kp[i] = 0;
        off[i] = base + i;
        part[i] = pid;
        ids[i] = UUID.randomUUID();
        tx[i] = ids[i].toString();
        pay[i] = Buffer.buffer(bytes);
        ends[i] = (base + i + 1) * recordSize;
      }
      return pool.preparedQuery(sql).execute(Tuple.of(q, kp, off, part, ids, tx, pay, ends)).map(r -> batch);
    });
    row("floor", FLOOR_PUSH, s.rate(), "msg/s");
    row("floor", "Postgres floor insert batch " + batch + " p99 (ms), " + FLOOR_CONNECTIONS + " connections",
        s.p(0.99), "ms");
    await(pool.query("DROP TABLE " + table).execute());
    await(pool.close());
  }

  // ---- closed loops ----------------------------------------------------------------------------------------------

  static final class Stats {
    long startNanos = System.nanoTime();
    long endNanos;
    long count;
    long items;
    long errors;
    long[] lat = new long[1 << 16];
    String firstError;

    synchronized void add(long nanos, int n) {
      if (count == lat.length && lat.length < (1 << 24)) {
        lat = Arrays.copyOf(lat, lat.length * 2);
      }
      if (count < lat.length) {
        lat[(int) count] = nanos;
      }
      count++;
      items += n;
    }

    String rate() {
      double secs = (endNanos - startNanos) / 1e9;
      return String.format(Locale.ROOT, "%.0f", items / secs);
    }

    String p(double q) {
      int n = (int) Math.min(count, lat.length);
      if (n == 0) {
        return "n/a";
      }
      long[] sorted = Arrays.copyOf(lat, n);
      Arrays.sort(sorted);
      return String.format(Locale.ROOT, "%.2f", sorted[(int) Math.min(n - 1, Math.ceil(q * n) - 1)] / 1e6);
    }
  }

  private Stats loop(int concurrency, long deadline, Supplier<Future<Integer>> op) throws Exception {
    return loopAsync(concurrency, deadline, op).toCompletionStage().toCompletableFuture()
        .get(seconds + 120L, TimeUnit.SECONDS);
  }

  private Future<Stats> loopAsync(int concurrency, long deadline, Supplier<Future<Integer>> op) {
    Stats s = new Stats();
    List<Future<Void>> chains = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> next(s, deadline, op, done));
      chains.add(done.future());
    }
    return Future.join(chains).map(v -> {
      s.endNanos = System.nanoTime();
      if (s.errors > 0) {
        System.err.println("errors: " + s.errors + ", first: " + s.firstError);
      }
      return s;
    });
  }

  private void next(Stats s, long deadline, Supplier<Future<Integer>> op, Promise<Void> done) {
    if (System.nanoTime() >= deadline) {
      done.complete();
      return;
    }
    long t0 = System.nanoTime();
    op.get().onComplete(ar -> {
      if (ar.succeeded()) {
        s.add(System.nanoTime() - t0, ar.result());
      } else {
        synchronized (s) {
          s.errors++;
          if (s.firstError == null) {
            s.firstError = String.valueOf(ar.cause());
          }
        }
        if (s.errors > 1000) {
          done.complete();
          return;
        }
      }
      next(s, deadline, op, done);
    });
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
