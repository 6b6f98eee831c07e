package dev.queenj.client.streams;

import static dev.queenj.client.streams.StreamChecks.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.client.Message;
import dev.queenj.client.PopRequest;
import dev.queenj.client.PushItem;
import dev.queenj.client.QueenClient;
import dev.queenj.client.QueueOptions;
import dev.queenj.core.testing.Eventually;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stream runners against a real broker (real Postgres; the stream tests share one, {@link StreamBroker}). Expected
 * window sums are computed from the source messages as stored (their createdAt is the event time), read back through
 * a group of the test's.
 */
class StreamTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  static final Duration WINDOW = Duration.ofMillis(3);
  private static final int PUSHES = 10;
  private static final int PER_PUSH = 40;
  /** Without the idle flush: these tests expect exactly the windows later messages closed. */
  private static final RunOptions FAST = RunOptions.defaults().maxWait(Duration.ofMillis(200)).idleFlush(Duration.ZERO);

  @RegisterExtension
  static final StreamBroker BROKER = new StreamBroker();

  record Sale(String customer, int amount, boolean test) {
  }

  /** One emitted window: sink partition (= source partition), user key, window start. */
  record WindowId(String partition, String key, long windowStart) {
  }

  @Test
  void tumblingSumsPerKeyMatchTheSourceMessages() {
    String source = name("sales");
    String sink = name("totals");
    pushSales(source);
    Map<WindowId, Long> expected = closedWindowSums(source);

    StreamRunner runner = salesPerCustomer(source, sink, WINDOW).run(name("q"), FAST);
    List<JsonNode> emitted = new ArrayList<>();
    try {
      Eventually.until(WAIT, () -> drain(sink, emitted) >= expected.size(),
          () -> emitted.size() + " of " + expected.size() + " windows, last error " + runner.lastError());
    } finally {
      runner.close();
    }
    drain(sink, emitted);
    assertThat(sums(emitted)).isEqualTo(expected);
    assertThat(emitted).as("each window emitted once").hasSize(expected.size());
    assertThat(runner.failedCycles()).isZero();
  }

  @Test
  void aStoppedRunnerResumesWithoutLosingOrRecountingAWindow() {
    String source = name("sales");
    String sink = name("totals");
    String query = name("q");
    pushSales(source);
    Map<WindowId, Long> expected = closedWindowSums(source);
    RunOptions smallBatches = FAST.batchSize(20).maxPartitions(1);
    int cyclesForAll = PUSHES * PER_PUSH / 20;

    StreamRunner first = salesPerCustomer(source, sink, WINDOW).run(query, smallBatches);
    Eventually.until(WAIT, () -> first.committedCycles() >= 3, () -> "cycles: " + first.committedCycles());
    first.close();
    assertThat(first.committedCycles()).as("stopped mid-run").isLessThan(cyclesForAll);

    List<JsonNode> emitted = new ArrayList<>();
    StreamRunner second = salesPerCustomer(source, sink, WINDOW).run(query, smallBatches);
    try {
      Eventually.until(WAIT, () -> drain(sink, emitted) >= expected.size(),
          () -> emitted.size() + " of " + expected.size() + " windows, last error " + second.lastError());
    } finally {
      second.close();
    }
    drain(sink, emitted);
    assertThat(first.committedCycles() + second.committedCycles()).isGreaterThanOrEqualTo(cyclesForAll);
    assertThat(sums(emitted)).isEqualTo(expected);
    assertThat(emitted).as("no window emitted twice").hasSize(expected.size());
  }

  @Test
  void aRunnerProcessKilledBySigkillRestartsWithoutLosingOrRecountingAWindow() throws Exception {
    String source = name("sales");
    String sink = name("totals");
    String query = name("q");
    // the killed runner's lease must run out before the restarted one gets its partition back
    BROKER.queen().configure(source, QueueOptions.builder().leaseTime(1).build());
    pushSales(source, 0, PUSHES / 2);
    long killedAfter;
    try (Child first = Child.start(BROKER.url(), source, sink, query)) {
      Eventually.until(WAIT, () -> first.cycles() >= 3, () -> "cycles of the first process: " + first.cycles());
      first.kill();
      killedAfter = first.cycles();
    }
    pushSales(source, PUSHES / 2, PUSHES);
    Map<WindowId, Long> expected = closedWindowSums(source);

    List<JsonNode> emitted = new ArrayList<>();
    try (Child second = Child.start(BROKER.url(), source, sink, query)) {
      Eventually.until(WAIT, () -> drain(sink, emitted) >= expected.size(),
          () -> emitted.size() + " of " + expected.size() + " windows, second process " + second.cycles()
              + " cycles after the first's " + killedAfter);
      second.stop();
    }
    drain(sink, emitted);
    assertThat(sums(emitted)).isEqualTo(expected);
    assertThat(emitted).as("no window emitted twice").hasSize(expected.size());
  }

  /** A {@link StreamChild} JVM; its cycles as it printed them. */
  private static final class Child implements AutoCloseable {
    private final Process process;
    private final AtomicLong cycles = new AtomicLong();

    private Child(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader out = process.inputReader()) {
          String line;
          while ((line = out.readLine()) != null) {
            if (line.startsWith("cycles ")) {
              cycles.set(Long.parseLong(line.substring("cycles ".length())));
            }
          }
        } catch (IOException e) {
          // the process is gone
        }
      }, "child-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(String url, String source, String sink, String query) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      File log = Path.of("target", "stream-child-" + query + ".log").toFile();
      // a short-lived JVM: C1 only and the serial collector start it faster on a busy machine
      return new Child(new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
          System.getProperty("java.class.path"),
          StreamChild.class.getName(), url, source, sink, query, "20")
          .redirectError(ProcessBuilder.Redirect.appendTo(log)).start());
    }

    long cycles() {
      return cycles.get();
    }

    /** SIGKILL: no shutdown hook, no runner close, whatever call is in flight is cut. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }

    void stop() throws Exception {
      process.getOutputStream().write("stop\n".getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
      assertThat(process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  @Test
  void aChangedChainIsRefusedUnlessReset() {
    String source = name("sales");
    String query = name("q");
    BROKER.queen().push(PushItem.of(source, new Sale("c", 1, false)));
    String partitionId = BROKER.queen().pop(PopRequest.from(source).group("check").autoAck(true)).messages().get(0)
        .partitionId();
    Stream minutes = salesPerCustomer(source, name("totals"), Duration.ofMinutes(1));
    Stream hours = salesPerCustomer(source, name("totals"), Duration.ofHours(1));
    assertThat(hours.configHash()).isNotEqualTo(minutes.configHash()).matches("[0-9a-f]{64}");
    assertThat(salesPerCustomer(source, "x", WINDOW).configHash())
        .isEqualTo(salesPerCustomer(source, "x", WINDOW).configHash());

    String queryId;
    try (StreamRunner runner = minutes.run(query, FAST)) {
      queryId = runner.serverQueryId();
      Eventually.until(WAIT, () -> runner.committedCycles() == 1, () -> "cycles: " + runner.committedCycles());
    }
    assertThat(stateKeys(queryId, partitionId)).as("the open window and the watermark").hasSize(2);

    assertThatThrownBy(() -> hours.run(query, FAST)).isInstanceOf(ConfigHashMismatchException.class)
        .hasMessageContaining("config_hash mismatch");
    try (StreamRunner reset = hours.run(query, FAST.reset(true))) {
      assertThat(reset.serverQueryId()).isEqualTo(queryId);
    }
    assertThat(stateKeys(queryId, partitionId)).as("reset wiped the old chain's state").isEmpty();
  }

  private static Stream salesPerCustomer(String source, String sink, Duration window) {
    return salesPerCustomer(BROKER.client(), source, sink, window);
  }

  static Stream salesPerCustomer(QueenClient client, String source, String sink, Duration window) {
    return Stream.from(client, source)
        .filter(sale -> !sale.path("test").asBoolean())
        .keyBy(sale -> sale.get("customer").asText())
        .map(sale -> sale.get("amount").asLong())
        .tumbling(window).aggregate(0, (sum, amount) -> sum.asLong() + amount.asLong())
        .map(StreamChecks::described).to(sink);
  }

  /** PUSHES pushes over 3 partitions, each pushed once the clock passed a window after the previous one. */
  private static void pushSales(String source) {
    pushSales(source, 0, PUSHES);
  }

  /** Pushes number {@code from} to {@code to} (exclusive) of {@link #pushSales(String)}. */
  private static void pushSales(String source, int from, int to) {
    int n = from * PER_PUSH;
    for (int push = from; push < to; push++) {
      List<PushItem> items = new ArrayList<>();
      for (int i = 0; i < PER_PUSH; i++, n++) {
        items.add(PushItem.of(source, new Sale("c" + n % 4, n % 7 + 1, n % 13 == 0)).partition("p" + n % 3));
      }
      BROKER.queen().push(items);
      long next = System.currentTimeMillis() + WINDOW.toMillis();
      Eventually.until(WAIT, () -> System.currentTimeMillis() > next, () -> "clock");
    }
  }

  /** Sums per window that a later message of the same partition closed (end ≤ the partition's last event time). */
  private static Map<WindowId, Long> closedWindowSums(String source) {
    List<Message> stored = StreamChecks.readBack(BROKER.queen(), source, PUSHES * PER_PUSH);
    Map<String, Long> lastEvent = new HashMap<>();
    stored.forEach(m -> lastEvent.merge(m.partition(), m.createdAt().toEpochMilli(), Math::max));
    long size = WINDOW.toMillis();
    Map<WindowId, Long> sums = new HashMap<>();
    for (Message m : stored) {
      Sale sale = m.data(Sale.class);
      long start = Math.floorDiv(m.createdAt().toEpochMilli(), size) * size;
      if (!sale.test() && start + size <= lastEvent.get(m.partition())) {
        sums.merge(new WindowId(m.partition(), sale.customer(), start), (long) sale.amount(), Long::sum);
      }
    }
    assertThat(sums.size()).as("enough closed windows to mean something").isGreaterThan(3 * 4 * (PUSHES / 2));
    return sums;
  }

  private static int drain(String sink, List<JsonNode> into) {
    return StreamChecks.drain(BROKER.queen(), sink, into);
  }

  private static Map<WindowId, Long> sums(List<JsonNode> emitted) {
    Map<WindowId, Long> sums = new HashMap<>();
    emitted.forEach(w -> sums.merge(new WindowId(w.get("partition").asText(), w.get("key").asText(),
        w.get("windowStart").asLong()), w.get("value").asLong(), Long::sum));
    return sums;
  }

  private static List<String> stateKeys(String queryId, String partitionId) {
    return StreamChecks.stateKeys(BROKER.queen(), queryId, partitionId);
  }
}
