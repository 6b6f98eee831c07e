package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.storage.Database;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.StoppablePostgres;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.server.TestServer.Reply;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Postgres stopped under a steady stream of native pushes and started again: every push is answered 200, queued or
 * buffered, and every answered push is stored exactly once, in order within its partition; what is buffered
 * survives a restart of the server. The test owns a Postgres of its own, on a fixed port and data directory, so that
 * it can stop and start it.
 */
class OutageBufferTest {
  private static final int PARTITIONS = 4;
  @TempDir
  static Path dir;
  private static StoppablePostgres postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = StoppablePostgres.start(dir.resolve("postgres"));
  }

  @BeforeEach
  void postgresUp() {
    postgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  /** Starts or stops Postgres; answers how long that took, in ms. */
  private static long timed(Runnable change) {
    long started = System.nanoTime();
    change.run();
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static String url() {
    return postgres.url();
  }

  private static TestServer server() {
    return TestServer.start(new QueenConfig(new DatabaseConfig(url(), dir.resolve("data"), 4),
        TestServer.defaultHttp(), TestServer.kafka(true), 5_000)
        .withBuffer(new BufferConfig(dir.resolve("buffer"), BufferConfig.DEFAULT_MAX_BYTES)));
  }

  private static Reply push(TestServer server, String queue, String partition, String transactionId) {
    return server.post("/api/v1/push", "{\"items\":[{\"queue\":\"" + queue + "\",\"partition\":\"" + partition
        + "\",\"transactionId\":\"" + transactionId + "\",\"payload\":{\"id\":\"" + transactionId + "\"}}]}");
  }

  private static long buffered(TestServer server) {
    return server.get("/api/v1/system/maintenance").body().get("bufferedMessages").asLong();
  }

  /** The stored transaction ids of each partition of {@code queue}, in log order. */
  private static Map<String, List<String>> stored(String queue) {
    Vertx vertx = Vertx.vertx();
    try {
      Database database = Database.connect(vertx, url(), 1);
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (Row row : TestPostgres.await(database.pool().preparedQuery("SELECT p.name, m.transaction_id "
          + "FROM messages m JOIN partitions p ON p.id = m.partition_id JOIN queues q ON q.id = m.queue_id "
          + "WHERE q.name = $1 ORDER BY m.kafka_partition, m.log_offset").execute(Tuple.of(queue)))) {
        out.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row.getString(1));
      }
      TestPostgres.await(database.close());
      return out;
    } finally {
      TestPostgres.await(vertx.close());
    }
  }

  /** One client per partition, each pushing one message per request, the next once the last was answered. */
  private static final class Stream {
    final Map<String, List<String>> answered = new ConcurrentHashMap<>();
    final AtomicInteger queued = new AtomicInteger();
    final AtomicInteger buffered = new AtomicInteger();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<Long> bufferedMicros = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean stop = new AtomicBoolean();
    final List<Thread> clients = new ArrayList<>();

    Stream(TestServer server, String queue) {
      for (int p = 0; p < PARTITIONS; p++) {
        String partition = "p" + p;
        answered.put(partition, new CopyOnWriteArrayList<>());
        Thread client = new Thread(() -> {
          for (int i = 0; !stop.get(); i++) {
            String id = partition + "-" + i;
            long sent = System.nanoTime();
            try {
              Reply reply = push(server, queue, partition, id);
              String status = reply.status() == 200 ? reply.body().get(0).get("status").asText() : "";
              if (status.equals("queued")) {
                queued.incrementAndGet();
              } else if (status.equals("buffered")) {
                buffered.incrementAndGet();
                bufferedMicros.add((System.nanoTime() - sent) / 1_000);
              } else {
                failures.add(id + ": " + reply.status() + " " + reply.body());
                continue;
              }
              answered.get(partition).add(id);
            } catch (RuntimeException e) {
              failures.add(id + ": " + e);
            }
          }
        }, "client-" + partition);
        client.start();
        clients.add(client);
      }
    }

    void finish() throws InterruptedException {
      stop.set(true);
      for (Thread client : clients) {
        client.join(60_000);
      }
    }

    int total() {
      return answered.values().stream().mapToInt(List::size).sum();
    }
  }

  @Test
  void pushesDuringAnOutageAreAnsweredAndStoredExactlyOnceInOrder() throws Exception {
    try (TestServer server = server()) {
      Stream stream = new Stream(server, "outage");
      Eventually.until(Duration.ofSeconds(60), () -> stream.queued.get() >= 200, () -> "queued " + stream.queued);

      long queuedBefore = stream.queued.get();
      long stopMs = timed(postgres::stop);
      long down = System.nanoTime();
      Eventually.until(Duration.ofSeconds(60),
          () -> System.nanoTime() - down > Duration.ofSeconds(4).toNanos() && stream.buffered.get() >= 100,
          () -> "buffered " + stream.buffered);
      long startMs = timed(postgres::start);
      long downMs = (System.nanoTime() - down) / 1_000_000 + startMs;
      long up = System.nanoTime();
      int bufferedAtRestart = stream.buffered.get();
      int queuedAtRestart = stream.queued.get();
      Eventually.until(Duration.ofSeconds(60), () -> buffered(server) == 0,
          () -> "buffer not drained under the stream");
      long drainedMs = (System.nanoTime() - up) / 1_000_000;
      Eventually.until(Duration.ofSeconds(60), () -> stream.queued.get() >= queuedAtRestart + 200,
          () -> "queued after the restart " + (stream.queued.get() - queuedAtRestart) + ", buffered "
              + buffered(server));
      long backToQueuedMs = (System.nanoTime() - up) / 1_000_000;
      stream.finish();
      Eventually.until(Duration.ofSeconds(60), () -> buffered(server) == 0, () -> "buffer not drained");

      Map<String, List<String>> stored = stored("outage");
      List<Long> latencies = new ArrayList<>(stream.bufferedMicros);
      Collections.sort(latencies);
      System.out.printf("outage: %d pushes answered (%d queued, %d buffered, %d failed) over %d partitions; "
              + "queued before the stop %d; Postgres stop %d ms, down %d ms (start %d ms), buffered by then %d; "
              + "buffer drained (under the stream) %d ms after it was up, 200 more queued after %d ms; "
              + "buffered answer latency p50 %d us, p99 %d us, "
              + "max %d us%n",
          stream.total(), stream.queued.get(), stream.buffered.get(), stream.failures.size(), PARTITIONS,
          queuedBefore, stopMs, downMs, startMs, bufferedAtRestart, drainedMs, backToQueuedMs,
          latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2),
          latencies.isEmpty() ? 0 : latencies.get(latencies.size() * 99 / 100),
          latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));

      assertThat(stream.failures).as("pushes not answered 200 queued/buffered").isEmpty();
      assertThat(stream.buffered.get()).isGreaterThanOrEqualTo(100);
      for (String partition : stream.answered.keySet()) {
        assertThat(stored.get(partition)).as("partition %s: stored exactly what was answered, in order", partition)
            .containsExactlyElementsOf(stream.answered.get(partition));
      }
      assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(stream.answered.keySet());
    }
  }

  @Test
  void whatWasBufferedSurvivesARestartOfTheServer() {
    List<String> sent = new ArrayList<>();
    try (TestServer server = server()) {
      push(server, "restart", "a", "before");
      sent.add("before");
      postgres.stop();
      for (int i = 0; i < 50; i++) {
        String partition = i % 2 == 0 ? "a" : "b";
        Reply reply = push(server, "restart", partition, "t-" + i);
        assertThat(reply.status()).as("push answer %s", reply.body()).isEqualTo(200);
        assertThat(reply.body().get(0).get("status").asText()).isEqualTo("buffered");
        sent.add("t-" + i);
      }
      assertThat(buffered(server)).isEqualTo(50);
    }
    postgres.start();

    try (TestServer restarted = server()) {
      Eventually.until(Duration.ofSeconds(30), () -> buffered(restarted) == 0, () -> "buffer not drained");
      assertThat(push(restarted, "restart", "a", "after").body().get(0).get("status").asText()).isEqualTo("queued");
    }
    sent.add("after");

    Map<String, List<String>> stored = stored("restart");
    assertThat(stored.get("a")).containsExactlyElementsOf(
        sent.stream().filter(id -> !id.startsWith("t-") || Integer.parseInt(id.substring(2)) % 2 == 0).toList());
    assertThat(stored.get("b")).containsExactlyElementsOf(
        sent.stream().filter(id -> id.startsWith("t-") && Integer.parseInt(id.substring(2)) % 2 == 1).toList());
  }
}
