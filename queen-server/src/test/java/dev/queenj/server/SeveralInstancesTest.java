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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three servers on one Postgres, as users run them behind a load balancer: a push or produce through one wakes a
 * long-poll or a fetch parked on another within milliseconds (LISTEN/NOTIFY, not the periodic re-check); pops
 * through all three hand each message to one lease holder; a maintenance switch turned on one is obeyed by the
 * others within a refresh; producer ids are unique whichever instance hands them out; and kill -9 of an instance
 * in the middle of pushes loses none it acknowledged.
 */
class SeveralInstancesTest {
  /** The bound a cross-instance wake-up must stay under; the periodic re-check alone takes 500-1000 ms. */
  private static final long WAKE_BOUND_MS = 150;
  private static final int SAMPLES = 20;
  private static final Duration WAIT = Duration.ofSeconds(30);
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
    List<Long> latencies = wakeUps(a, b, "wake");
    report("native push on A -> long-poll on B", latencies);
    assertThat(Collections.max(latencies)).as("slowest cross-instance wake-up, ms").isLessThan(WAKE_BOUND_MS);
  }

  /** Push → long-poll pop latencies (ms) of {@link #SAMPLES} rounds: pushed through one, parked on the other. */
  private static List<Long> wakeUps(TestServer pushVia, TestServer parkOn, String queue) throws Exception {
    Api pusher = new Api(pushVia);
    Api popper = new Api(parkOn);
    pusher.push(queue, "warmup", "w");
    popper.ackAll(popper.pop(queue), "completed");
    List<Long> latencies = new ArrayList<>();
    for (int round = 0; round < SAMPLES; round++) {
      CompletableFuture<Reply> parked = parkOn.getAsync("/api/v1/pop/queue/" + queue + "?wait=true&timeout=20000");
      // once parked, the pop listens for appends, so a push cannot slip past it
      Api.eventually(Duration.ofSeconds(5), () -> metric(parkOn, "queen_http_long_polls_parked") == 1);
      long pushed = System.nanoTime();
      pusher.push(queue, "p", "m" + round);
      Reply reply = parked.get(10, TimeUnit.SECONDS);
      latencies.add((System.nanoTime() - pushed) / 1_000_000);
      assertThat(Api.ids(reply.body())).containsExactly("m" + round);
      popper.ackAll(reply.body(), "completed");
    }
    return latencies;
  }

  @Test
  void aProduceThroughOneInstanceWakesAFetchParkedOnAnother() throws Exception {
    String topic = "wake-fetch";
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    AtomicBoolean done = new AtomicBoolean();
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(a, Map.of());
        KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(b, Map.of())) {
      producer.send(new ProducerRecord<>(topic, 0, null, "warmup".getBytes(StandardCharsets.UTF_8))).get();
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.seekToEnd(List.of(new TopicPartition(topic, 0)));
      consumer.position(new TopicPartition(topic, 0));
      CompletableFuture<Void> polling = CompletableFuture.runAsync(() -> {
        // the consumer belongs to this thread; fetch.max.wait.ms stays at Kafka's 500 ms, which an unwoken fetch waits
        while (!done.get()) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            arrived.put(new String(record.value(), StandardCharsets.UTF_8), System.nanoTime());
          }
        }
      });
      try {
        List<Long> latencies = new ArrayList<>();
        for (int round = 0; round < SAMPLES; round++) {
          String value = "r" + round;
          Api.eventually(Duration.ofSeconds(5), () -> metric(b, "queen_append_waiters") >= 1);
          long sent = System.nanoTime();
          producer.send(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8))).get();
          Eventually.until(Duration.ofSeconds(10), () -> arrived.containsKey(value), () -> "not fetched: " + value);
          latencies.add((arrived.get(value) - sent) / 1_000_000);
        }
        report("Kafka produce on A -> fetch parked on B", latencies);
        assertThat(Collections.max(latencies)).as("slowest cross-instance fetch wake-up, ms")
            .isLessThan(WAKE_BOUND_MS);
      } finally {
        done.set(true);
        polling.get(10, TimeUnit.SECONDS);
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
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try (ServerProcess doomed = ServerProcess.start(TestServer.freshDataDir(),
        Map.of("QUEEN_PG_URL", TestPostgres.url()))) {
      int port = doomed.awaitListening(Duration.ofSeconds(60)).http();
      AtomicBoolean refused = new AtomicBoolean();
      List<CompletableFuture<Void>> pushers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String prefix = "t" + t;
        pushers.add(CompletableFuture.runAsync(() -> {
          for (int n = 0; !refused.get(); n++) {
            String id = prefix + "-" + n;
            sent.add(id);
            try {
              HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
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
      doomed.kill(false);
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

  private static boolean popPaused(TestServer server) {
    return server.get("/api/v1/system/maintenance/pop").body().get("popMaintenanceMode").asBoolean();
  }

  /** A gauge of the server's Prometheus page, or -1 when absent. */
  private static double metric(TestServer server, String name) {
    for (String line : server.get("/metrics/prometheus").body().asText().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  private static void report(String what, List<Long> latenciesMs) {
    List<Long> sorted = new ArrayList<>(latenciesMs);
    Collections.sort(sorted);
    long p50 = sorted.get(sorted.size() / 2);
    long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    System.out.printf("%s over %d samples: p50 %d ms, p99 %d ms, max %d ms%n", what, sorted.size(), p50, p99,
        sorted.get(sorted.size() - 1));
  }
}
