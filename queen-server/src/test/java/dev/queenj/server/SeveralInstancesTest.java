package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.server.TestServer.Reply;
import dev.queenj.server.kafka.KafkaClients;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several servers on one Postgres, as users run them behind a load balancer: a push, a produce or a Kafka transaction
 * commit through one wakes a long-poll or a fetch parked on another within milliseconds (LISTEN/NOTIFY, not the
 * periodic re-check; each round's latency is printed); pops through three hand each message to one lease holder; a
 * maintenance switch turned on one is obeyed by the others within a refresh; producer ids are unique whichever
 * instance hands them out; and kill -9 of an instance in the middle of pushes loses none it acknowledged.
 *
 * <p>{@code a}, {@code b} and {@code c} are test servers, each its own Kafka cluster on the shared database
 * ({@link TestServer#start(QueenConfig)}), so that a Kafka client bootstrapped to one stays on it: that is how a
 * produce lands on one instance and a fetch waits on another. Inside one cluster a client produces and fetches a
 * partition through its leader, and the cross-instance case is a native push through another instance
 * ({@link ServerCluster}, last Kafka test).
 */
class SeveralInstancesTest {
  /**
   * Latencies (ms) of rounds: from the send's start to the waiter's answer, and from the send's acknowledgment to
   * the answer (0 when the answer came first).
   */
  private record WakeUps(List<Long> fromSend, List<Long> afterAck) {
    WakeUps() {
      this(new ArrayList<>(), new ArrayList<>());
    }

    void add(long sentNanos, long ackedNanos, long answeredNanos) {
      fromSend.add((answeredNanos - sentNanos) / 1_000_000);
      afterAck.add(Math.max(0, answeredNanos - ackedNanos) / 1_000_000);
    }

    long slowestAfterAck() {
      return Collections.max(afterAck);
    }
  }

  /**
   * The bound a cross-instance wake-up must stay under, counted from the append's acknowledgment (the send's own
   * time on this shared machine, fsyncs included, is no part of the wake-up); the periodic re-check alone takes 500
   * ms (a fetch's max wait) to 1000 ms (a parked pop).
   */
  private static final long WAKE_BOUND_MS = 150;
  private static final int SAMPLES = 20;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static TestServer a;
  private static TestServer b;
  private static TestServer c;

  @BeforeAll
  static void start() {
    a = TestServer.start();
    b = TestServer.start();
    c = TestServer.start();
  }

  @AfterAll
  static void stop() {
    for (TestServer server : new TestServer[] {a, b, c}) {
      if (server != null) {
        server.close();
      }
    }
  }

  @BeforeEach
  void clean() {
    a.reset();
  }

  @Test
  void aPushThroughOneInstanceWakesALongPollParkedOnAnotherWithinMilliseconds() throws Exception {
    // the same rounds within one instance first, for comparison
    report("native push on B -> long-poll on B", wakeUps(b, b, "same"));
    WakeUps latencies = wakeUps(a, b, "wake");
    report("native push on A -> long-poll on B", latencies);
    assertThat(latencies.slowestAfterAck()).as("slowest cross-instance wake-up, ms").isLessThan(WAKE_BOUND_MS);
  }

  /** Push → long-poll pop latencies (ms) of {@link #SAMPLES} rounds: pushed through one, parked on the other. */
  private static WakeUps wakeUps(TestServer pushVia, TestServer parkOn, String queue) throws Exception {
    Api pusher = new Api(pushVia);
    Api popper = new Api(parkOn);
    pusher.push(queue, "warmup", "w");
    popper.ackAll(popper.pop(queue), "completed");
    WakeUps latencies = new WakeUps();
    for (int round = 0; round < SAMPLES; round++) {
      CompletableFuture<Reply> parked = parkOn.getAsync("/api/v1/pop/queue/" + queue + "?wait=true&timeout=20000");
      // once parked, the pop listens for appends, so a push cannot slip past it
      Api.eventually(Duration.ofSeconds(15), () -> metric(parkOn, "queen_http_long_polls_parked") == 1);
      AtomicLong answered = new AtomicLong();
      parked.thenRun(() -> answered.set(System.nanoTime()));
      long pushed = System.nanoTime();
      pusher.push(queue, "p", "m" + round);
      long acked = System.nanoTime();
      Reply reply = parked.get(10, TimeUnit.SECONDS);
      Eventually.until(Duration.ofSeconds(5), () -> answered.get() != 0, () -> "answer time not taken");
      latencies.add(pushed, acked, answered.get());
      assertThat(Api.ids(reply.body())).containsExactly("m" + round);
      popper.ackAll(reply.body(), "completed");
    }
    return latencies;
  }

  @Test
  void aProduceThroughOneInstanceWakesAFetchParkedOnAnother() throws Exception {
    String topic = "wake-fetch";
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(a, Map.of());
        KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(b, Map.of())) {
      producer.send(new ProducerRecord<>(topic, 0, null, "warmup".getBytes(StandardCharsets.UTF_8))).get();
      WakeUps latencies = fetchWakeUps(consumer, topic, () -> metric(b, "queen_append_waiters"), value -> {
        long sent = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8))).get();
        return sent;
      });
      report("Kafka produce on A -> fetch parked on B", latencies);
      assertThat(latencies.slowestAfterAck()).as("slowest cross-instance fetch wake-up, ms").isLessThan(WAKE_BOUND_MS);
    }
  }

  @Test
  void aKafkaTransactionCommittedThroughOneInstanceWakesAReadCommittedFetchParkedOnAnother() throws Exception {
    String topic = "wake-txn";
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(a,
            Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "wake-txn-" + System.nanoTime()));
        KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(b,
            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 0, null, "warmup".getBytes(StandardCharsets.UTF_8)));
      producer.commitTransaction();
      WakeUps latencies = fetchWakeUps(consumer, topic, () -> metric(b, "queen_append_waiters"), value -> {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8)));
        // staged, invisible to the parked fetch until the commit appends it
        producer.flush();
        long committing = System.nanoTime();
        producer.commitTransaction();
        return committing;
      });
      report("Kafka transaction commit on A -> read_committed fetch parked on B", latencies);
      assertThat(latencies.slowestAfterAck()).as("slowest cross-instance fetch wake-up after a commit, ms")
          .isLessThan(WAKE_BOUND_MS);
    }
  }

  private static Long arrival(Map<String, Long> arrived, String value) {
    return arrived.entrySet().stream().filter(e -> e.getKey().contains(value)).map(Map.Entry::getValue).findFirst()
        .orElse(null);
  }

  /**
   * What one round of {@link #fetchWakeUps} does: sends the value, returns once it is acknowledged, and answers when
   * the send began (nanoTime).
   */
  @FunctionalInterface
  private interface Send {
    long send(String value) throws Exception;
  }

  /**
   * Latencies (ms) of {@link #SAMPLES} rounds: each waits for {@code consumer}'s fetch to park ({@code waiters} of
   * the instance it fetches from at least one), sends one value,
   * and takes the time until the consumer, polling on a thread of its own, has it. fetch.max.wait.ms stays at
   * Kafka's 500 ms, which is what an unwoken fetch waits.
   */
  private static WakeUps fetchWakeUps(KafkaConsumer<byte[], byte[]> consumer, String topic,
      java.util.function.DoubleSupplier waiters, Send send) throws Exception {
    TopicPartition partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    consumer.position(partition);
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture<Void> polling = CompletableFuture.runAsync(() -> {
      while (!done.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          arrived.put(new String(record.value(), StandardCharsets.UTF_8), System.nanoTime());
        }
      }
    });
    try {
      WakeUps latencies = new WakeUps();
      for (int round = 0; round < SAMPLES; round++) {
        // delimited, so that no value is part of another (a native push's value is its JSON payload)
        String value = "<" + round + ">";
        Eventually.until(Duration.ofSeconds(15), () -> polling.isDone() || waiters.getAsDouble() >= 1,
            () -> "no fetch parked");
        if (polling.isDone()) {
          polling.join();
        }
        long sent = send.send(value);
        long acked = System.nanoTime();
        Eventually.until(Duration.ofSeconds(10), () -> arrival(arrived, value) != null, () -> "not fetched: " + value);
        latencies.add(sent, acked, arrival(arrived, value));
      }
      return latencies;
    } finally {
      done.set(true);
      polling.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void inOneClusterANativePushThroughAnInstanceWakesAFetchParkedOnThePartitionsLeader() throws Exception {
    // a Kafka client produces and fetches a partition through its leader; native pushes come through any instance
    try (ServerCluster cluster = ServerCluster.inProcess(2)) {
      String topic = "wake-cluster";
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
      ServerCluster.Member first = cluster.member(0);
      ServerCluster.Member second = cluster.member(1);
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()),
          new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
          new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
        // the fetch parks on the leader the consumer was told of (the instances' views of each other settle within
        // a heartbeat of the second one's start, so it is found where it parks, not asked beforehand)
        WakeUps latencies = fetchWakeUps(consumer, topic,
            () -> waiters(first.httpPort()) + waiters(second.httpPort()), value -> {
              ServerCluster.Member other = waiters(first.httpPort()) >= 1 ? second : first;
              long sent = System.nanoTime();
              // a native push to the topic's only Kafka partition, through the instance the fetch is not parked on
              int status = post(other.httpPort(), "/api/v1/push", "{\"items\":[{\"queue\":\"" + topic
                  + "\",\"partition\":\"p\",\"payload\":{\"v\":\"" + value + "\"}}]}");
              assertThat(status).isEqualTo(200);
              return sent;
            });
        report("native push on one instance -> fetch parked on the partition's leader (one cluster)", latencies);
        assertThat(latencies.slowestAfterAck()).as("slowest wake-up of the leader's fetch, ms")
            .isLessThan(WAKE_BOUND_MS);
      }
    }
  }

  @Test
  void popsThroughThreeInstancesHandEachMessageToOneLeaseHolder() throws Exception {
    int perInstance = 200;
    TestServer[] servers = {a, b, c};
    Map<String, Integer> delivered = new ConcurrentHashMap<>();
    AtomicInteger acked = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(12);
    try {
      List<CompletableFuture<Void>> work = new ArrayList<>();
      // pushers through every instance while consumers pop through every instance
      for (int s = 0; s < servers.length; s++) {
        Api through = new Api(servers[s]);
        String prefix = "s" + s;
        work.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < perInstance; i += 10) {
            String[] ids = new String[10];
            for (int k = 0; k < 10; k++) {
              ids[k] = prefix + "-" + (i + k);
            }
            through.push("shared", "p" + (i / 10 % 7), ids);
          }
        }, threads));
      }
      int total = perInstance * servers.length;
      long deadline = System.nanoTime() + WAIT.toNanos();
      for (int consumer = 0; consumer < 9; consumer++) {
        Api through = new Api(servers[consumer % servers.length]);
        work.add(CompletableFuture.runAsync(() -> {
          while (acked.get() < total && System.nanoTime() < deadline) {
            JsonNode pop = through.pop("shared", "batch=4&wait=true&timeout=300");
            if (pop.get("messages").isEmpty()) {
              continue;
            }
            for (String id : Api.ids(pop)) {
              delivered.merge(id, 1, Integer::sum);
            }
            // the lease still holds: every ack with it succeeds
            JsonNode results = through.ackAll(pop, "completed");
            results.forEach(r -> assertThat(r.get("success").asBoolean()).as("ack %s", r).isTrue());
            acked.addAndGet(pop.get("messages").size());
          }
        }, threads));
      }
      CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds() + 30, TimeUnit.SECONDS);
      assertThat(delivered).hasSize(total);
      assertThat(delivered.values()).as("deliveries per message").containsOnly(1);
      assertThat(acked.get()).isEqualTo(total);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aMaintenanceSwitchTurnedOnOneInstanceIsObeyedByTheOthersWithinARefresh() {
    try {
      long turned = System.nanoTime();
      assertThat(a.post("/api/v1/system/maintenance/pop", "{\"enabled\":true}").status()).isEqualTo(200);
      Eventually.until(Duration.ofSeconds(5), () -> popPaused(b) && popPaused(c), () -> "not seen everywhere");
      long seenMs = (System.nanoTime() - turned) / 1_000_000;
      System.out.printf("pop maintenance turned on through A was seen by B and C after %d ms%n", seenMs);
      // read every MaintenanceMode.REFRESH_MS (1 s): seen within one refresh and a round trip or two
      assertThat(seenMs).isLessThan(2 * dev.queenj.core.maintenance.MaintenanceMode.REFRESH_MS);
      new Api(a).push("m", "p", "t-0");
      assertThat(new Api(c).pop("m", "batch=10").get("messages")).isEmpty();
    } finally {
      a.post("/api/v1/system/maintenance/pop", "{\"enabled\":false}");
      // the JVM's other servers read the switches on their own refresh: none may leave this test still paused
      Eventually.until(Duration.ofSeconds(5), () -> !popPaused(a) && !popPaused(b) && !popPaused(c)
          && !popPaused(RunningServer.shared()), () -> "pop maintenance still seen on");
    }
    assertThat(Api.ids(new Api(b).pop("m", "batch=10"))).containsExactly("t-0");
  }

  @Test
  void idempotentProducersGetDistinctIdsWhicheverInstanceAllocatesThem() throws Exception {
    String topic = "producer-ids";
    List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>();
    try {
      TestServer[] servers = {a, b, c};
      for (int i = 0; i < 12; i++) {
        producers.add(KafkaClients.producer(servers[i % 3], Map.of()));
      }
      // every producer asks its instance for an id at the same time, by sending its first record
      List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
      for (KafkaProducer<byte[], byte[]> producer : producers) {
        sends.add(producer.send(new ProducerRecord<>(topic, 0, null, "x".getBytes(StandardCharsets.UTF_8))));
      }
      for (java.util.concurrent.Future<?> send : sends) {
        send.get(30, TimeUnit.SECONDS);
      }
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
          "localhost:" + c.kafkaPort()))) {
        List<ProducerState> states = admin.describeProducers(List.of(new TopicPartition(topic, 0)))
            .partitionResult(new TopicPartition(topic, 0)).get(30, TimeUnit.SECONDS).activeProducers();
        Set<Long> ids = new HashSet<>();
        states.forEach(state -> ids.add(state.producerId()));
        assertThat(states).hasSize(12);
        assertThat(ids).hasSize(12);
      }
    } finally {
      producers.forEach(producer -> producer.close(Duration.ofSeconds(5)));
    }
  }

  @Test
  void killMinus9OfAnInstanceInTheMiddleOfPushesLosesNoAcknowledgedPush() throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> sent = ConcurrentHashMap.newKeySet();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try (ServerCluster doomed = ServerCluster.processes(1, Map.of())) {
      int port = doomed.member(0).httpPort();
      AtomicBoolean refused = new AtomicBoolean();
      List<CompletableFuture<Void>> pushers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String prefix = "t" + t;
        pushers.add(CompletableFuture.runAsync(() -> {
          for (int n = 0; !refused.get(); n++) {
            String id = prefix + "-" + n;
            sent.add(id);
            try {
              HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/api/v1/push"))
                  .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"queue\":\"survive\",\"partition\":\"p"
                      + (n % 5) + "\",\"transactionId\":\"" + id + "\",\"payload\":{\"n\":" + n + "}}]}"))
                  .build(), HttpResponse.BodyHandlers.ofString());
              if (answer.statusCode() == 200 && answer.body().contains("\"queued\"")) {
                acknowledged.add(id);
              }
            } catch (Exception gone) {
              // the instance died: this push may or may not have committed, but it was never acknowledged
              refused.set(true);
            }
          }
        }, threads));
      }
      Eventually.until(WAIT, () -> acknowledged.size() >= 300, () -> acknowledged.size() + " acknowledged");
      doomed.member(0).kill();
      CompletableFuture.allOf(pushers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    Set<String> stored = storedTransactionIds("survive");
    System.out.printf("kill -9 during pushes: %d acknowledged, %d stored, %d sent%n", acknowledged.size(),
        stored.size(), sent.size());
    assertThat(stored).containsAll(acknowledged);
    assertThat(sent).containsAll(stored);
    // and the survivors serve them: every acknowledged push is popped through another instance
    Set<String> popped = new HashSet<>();
    Api onB = new Api(b);
    Eventually.until(WAIT, () -> {
      JsonNode pop = onB.pop("survive", "batch=1000&consumerGroup=check");
      popped.addAll(Api.ids(pop));
      return popped.size() >= stored.size();
    }, () -> popped.size() + " of " + stored.size() + " popped");
    assertThat(popped).containsAll(acknowledged);
  }

  private static Set<String> storedTransactionIds(String queue) {
    Vertx vertx = Vertx.vertx();
    try {
      var database = TestPostgres.database(vertx, 1);
      try {
        return TestPostgres.await(database.pool().preparedQuery("SELECT m.transaction_id FROM messages m "
            + "JOIN queues q ON q.id = m.queue_id WHERE q.name = $1").execute(Tuple.of(queue)).map(rows -> {
              Set<String> ids = new HashSet<>();
              rows.forEach(row -> ids.add(row.getString(0)));
              return ids;
            }));
      } finally {
        TestPostgres.await(database.close());
      }
    } finally {
      TestPostgres.await(vertx.close());
    }
  }

  /** Parked long-polls and fetches of the instance with this HTTP port. */
  private static double waiters(int httpPort) {
    return metric(httpPort, "queen_append_waiters");
  }

  /** POSTs JSON to an instance that is not a {@link TestServer} (a cluster member); answers the status. */
  private static int post(int httpPort, String path, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static boolean popPaused(TestServer server) {
    return server.get("/api/v1/system/maintenance/pop").body().get("popMaintenanceMode").asBoolean();
  }

  /** A gauge of the server's Prometheus page, or -1 when absent. */
  private static double metric(TestServer server, String name) {
    return metric(server.port(), name);
  }

  private static double metric(int httpPort, String name) {
    String page;
    try {
      page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics/prometheus"))
          .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new AssertionError("metrics of port " + httpPort, e);
    }
    for (String line : page.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  private static void report(String what, WakeUps latencies) {
    System.out.printf("%s over %d samples: from the send %s; after its acknowledgment %s%n", what,
        latencies.fromSend().size(), percentiles(latencies.fromSend()), percentiles(latencies.afterAck()));
  }

  private static String percentiles(List<Long> latenciesMs) {
    List<Long> sorted = new ArrayList<>(latenciesMs);
    Collections.sort(sorted);
    long p50 = sorted.get(sorted.size() / 2);
    long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    return String.format("p50 %d ms, p99 %d ms, max %d ms", p50, p99, sorted.get(sorted.size() - 1));
  }
}
