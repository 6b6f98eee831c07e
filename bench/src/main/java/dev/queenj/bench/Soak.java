package dev.queenj.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The retention soak: steady native push+pop/ack and Kafka produce+consume against a server whose queue and topic
 * keep messages {@code retentionSeconds}, sampled every {@code sampleSeconds}: what each side moved per second, the
 * size of the messages table with its indexes and of all the broker's tables (pg_total_relation_size), live and
 * dead rows, the server's heap after its latest GC (from its GC log) and what retention deleted (its Prometheus
 * counter). One table row per sample on stdout, then a summary of how much each varied after warm-up.
 *
 * <p>Native: {@code NATIVE_PUSHERS} closed-loop pushers (batch 10, 1,000 partitions, 200-byte payloads) and as many
 * consumers (pop batch 100 over up to 10 partitions, long-poll 1 s, then ack/batch). Kafka: one idempotent producer
 * (acks=all) at {@code KAFKA_RATE} records/s of 200 bytes over 8 partitions, and one consumer in a group.
 */
final class Soak {
  static final int NATIVE_PUSHERS = 8;
  static final int KAFKA_RATE = 2_000;
  static final String QUEUE = "soak-native";
  static final String TOPIC = "soak-kafka";
  private static final Pattern AFTER_GC = Pattern.compile("(\\d+)M->(\\d+)M");
  private static final Pattern DELETED =
      Pattern.compile("(?m)^queen_retention_messages_deleted_total(?:\\{[^}]*\\})? ([0-9.eE+]+)");

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http;
  private final String payload = "{\"d\":\"" + "x".repeat(192) + "\"}";
  private final AtomicLong pushed = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong produced = new AtomicLong();
  private final AtomicLong consumed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean stopping;

  private Soak(String httpBase) {
    URI base = URI.create(httpBase);
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost()).setDefaultPort(base.getPort())
        .setKeepAlive(true).setIdleTimeout(0), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
  }

  static void run(String httpBase, String bootstrap, String pgUrl, int seconds, int sampleSeconds,
      int retentionSeconds, String gcLog) throws Exception {
    Soak soak = new Soak(httpBase);
    Pool pg = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(PgConnectOptions.fromUri(pgUrl))
        .using(soak.vertx).build();
    try {
      soak.setUp(bootstrap, retentionSeconds);
      soak.runLoad(bootstrap, seconds, sampleSeconds, pg, gcLog, httpBase);
    } finally {
      soak.stopping = true;
      pg.close();
      soak.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void setUp(String bootstrap, int retentionSeconds) throws Exception {
    call(HttpMethod.POST, "/api/v1/configure", new JsonObject().put("queue", QUEUE).put("options",
        new JsonObject().put("retentionEnabled", true).put("retentionSeconds", retentionSeconds)).toBuffer())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 8, (short) 1)
          .configs(Map.of("retention.ms", String.valueOf(retentionSeconds * 1000L))))).all().get(30, TimeUnit.SECONDS);
    }
  }

  private void runLoad(String bootstrap, int seconds, int sampleSeconds, Pool pg, String gcLog, String httpBase)
      throws Exception {
    for (int i = 0; i < NATIVE_PUSHERS; i++) {
      pushChain();
      popChain();
    }
    Thread producer = new Thread(() -> produce(bootstrap), "soak-producer");
    Thread consumer = new Thread(() -> consume(bootstrap), "soak-consumer");
    producer.start();
    consumer.start();

    System.out.println("| s | native pushed/s | native acked/s | kafka produced/s | kafka consumed/s | messages MB "
        + "(table+indexes) | all tables MB | live rows | dead rows | vacuums | heap after GC MB | deleted by retention |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    long start = System.nanoTime();
    long[] last = {0, 0, 0, 0};
    List<double[]> samples = new ArrayList<>();
    for (int n = 1; (long) n * sampleSeconds <= seconds; n++) {
      long due = start + TimeUnit.SECONDS.toNanos((long) n * sampleSeconds);
      TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
      long[] now = {pushed.get(), acked.get(), produced.get(), consumed.get()};
      double[] rates = new double[4];
      for (int i = 0; i < 4; i++) {
        rates[i] = (now[i] - last[i]) / (double) sampleSeconds;
      }
      last = now;
      Row size = pg.query("SELECT pg_total_relation_size('messages') AS messages, "
          + "(SELECT sum(pg_total_relation_size(relid)) FROM pg_stat_user_tables) AS total, "
          + "(SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'messages') AS live, "
          + "(SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'messages') AS dead, "
          + "(SELECT vacuum_count + autovacuum_count FROM pg_stat_user_tables WHERE relname = 'messages') AS vacuums")
          .execute()
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).iterator().next();
      double messagesMb = size.getLong("messages") / 1048576.0;
      double totalMb = size.getNumeric("total").doubleValue() / 1048576.0;
      double heap = heapAfterGc(gcLog);
      String deleted = deletedByRetention();
      int s = n * sampleSeconds;
      samples.add(new double[] {s, rates[0], rates[1], rates[2], rates[3], messagesMb, totalMb, heap});
      System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %d | %d | %d | %.0f | %s |%n",
          s, rates[0], rates[1], rates[2], rates[3], messagesMb, totalMb, size.getLong("live"), size.getLong("dead"),
          size.getLong("vacuums"), heap, deleted);
      System.out.flush();
    }
    stopping = true;
    producer.join(30_000);
    consumer.join(30_000);
    summary(samples, seconds);
    System.out.println("request errors: " + errors.get());
  }

  /** After warm-up (the first third, at least 2 retention periods): min-max of each figure, and throughput per half. */
  private static void summary(List<double[]> samples, int seconds) {
    List<double[]> steady = samples.stream().filter(s -> s[0] > seconds / 3.0).toList();
    if (steady.size() < 2) {
      return;
    }
    String[] names = {"", "native pushed/s", "native acked/s", "kafka produced/s", "kafka consumed/s",
        "messages MB", "all tables MB", "heap after GC MB"};
    System.out.println();
    System.out.println("after warm-up (t > " + seconds / 3 + " s, " + steady.size() + " samples):");
    System.out.println("| figure | min | max | (max-min)/mean | mean, first half | mean, second half |");
    System.out.println("|---|---|---|---|---|---|");
    int half = steady.size() / 2;
    for (int f = 1; f < names.length; f++) {
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      double sum = 0;
      double first = 0;
      double second = 0;
      for (int i = 0; i < steady.size(); i++) {
        double v = steady.get(i)[f];
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
        if (i < half) {
          first += v;
        } else {
          second += v;
        }
      }
      double mean = sum / steady.size();
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f %% | %.1f | %.1f |%n", names[f], min, max,
          mean == 0 ? 0 : 100 * (max - min) / mean, first / half, second / (steady.size() - half));
    }
  }

  private static double heapAfterGc(String gcLog) {
    try {
      List<String> lines = Files.readAllLines(Path.of(gcLog));
      for (int i = lines.size() - 1; i >= 0; i--) {
        Matcher m = AFTER_GC.matcher(lines.get(i));
        if (m.find()) {
          return Double.parseDouble(m.group(2));
        }
      }
    } catch (IOException e) {
      // no GC yet
    }
    return 0;
  }

  private String deletedByRetention() {
    try {
      String text = call(HttpMethod.GET, "/metrics/prometheus", null).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS).getString("text", "");
      Matcher m = DELETED.matcher(text);
      return m.find() ? String.format(Locale.ROOT, "%.0f", Double.parseDouble(m.group(1))) : "?";
    } catch (Exception e) {
      return "?";
    }
  }

  private void pushChain() {
    if (stopping) {
      return;
    }
    StringBuilder sb = new StringBuilder("{\"items\":[");
    String partition = "p" + ThreadLocalRandom.current().nextInt(1000);
    for (int i = 0; i < 10; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"queue\":\"").append(QUEUE).append("\",\"partition\":\"")
          .append(partition).append("\",\"payload\":").append(payload).append('}');
    }
    call(HttpMethod.POST, "/api/v1/push", Buffer.buffer(sb.append("]}").toString()))
        .onSuccess(r -> pushed.addAndGet(10))
        .onFailure(e -> errors.incrementAndGet())
        .onComplete(done -> pushChain());
  }

  private void popChain() {
    if (stopping) {
      return;
    }
    call(HttpMethod.GET, "/api/v1/pop/queue/" + QUEUE + "?batch=100&partitions=10&wait=true&timeout=1000", null)
        .compose(r -> {
          JsonArray msgs = r.getJsonArray("messages", new JsonArray());
          if (msgs.isEmpty()) {
            return Future.succeededFuture(0);
          }
          return call(HttpMethod.POST, "/api/v1/ack/batch", NativeBench.ackBatch(msgs).toBuffer())
              .map(x -> msgs.size());
        })
        .onSuccess(acked::addAndGet)
        .onFailure(e -> errors.incrementAndGet())
        .onComplete(done -> popChain());
  }

  private void produce(String bootstrap) {
    Map<String, Object> config = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5));
    byte[] value = new byte[200];
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      long start = System.nanoTime();
      long sent = 0;
      while (!stopping) {
        long due = start + sent * 1_000_000_000L / KAFKA_RATE;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        producer.send(new ProducerRecord<>(TOPIC, null, value), (meta, e) -> {
          if (e == null) {
            produced.incrementAndGet();
          } else {
            errors.incrementAndGet();
          }
        });
        sent++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void consume(String bootstrap) {
    Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "soak-group", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      while (!stopping) {
        consumed.addAndGet(consumer.poll(Duration.ofMillis(500)).count());
      }
    }
  }

  private Future<JsonObject> call(HttpMethod method, String uri, Buffer body) {
    return http.request(method, uri).compose(req -> {
      req.putHeader("Content-Type", "application/json");
      return body == null ? req.send() : req.send(body);
    }).compose(resp -> resp.body().map(buf -> {
      if (resp.statusCode() >= 300) {
        throw new IllegalStateException(method + " " + uri + " -> " + resp.statusCode());
      }
      if (buf.length() == 0) {
        return new JsonObject();
      }
      if (uri.startsWith("/metrics")) {
        return new JsonObject().put("text", buf.toString());
      }
      Object json = buf.toJson();
      return json instanceof JsonArray items ? new JsonObject().put("items", items) : (JsonObject) json;
    }));
  }
}
