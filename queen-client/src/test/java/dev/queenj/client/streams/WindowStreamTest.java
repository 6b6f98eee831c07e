package dev.queenj.client.streams;

import static dev.queenj.client.streams.StreamChecks.name;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.client.Message;
import dev.queenj.client.PushItem;
import dev.queenj.client.QueueOptions;
import dev.queenj.core.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntToLongFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sliding, session and cron windows, grace and the idle flush, run against a real broker (real Postgres). Expected
 * results are computed here, independently of the window classes, from the source messages as stored: their
 * {@code createdAt} is the records' time, or the payload's {@code at} for event time.
 */
class WindowStreamTest {
  private static final Duration WAIT = StreamChecks.WAIT;
  private static final RunOptions NO_FLUSH = RunOptions.defaults().maxWait(Duration.ofMillis(200))
      .idleFlush(Duration.ZERO);
  private static final int PER_ROUND = 24;

  @RegisterExtension
  static final StreamBroker BROKER = new StreamBroker();

  record Sale(String customer, int amount, long at) {
  }

  /** One emitted window: sink partition (= source partition), user key, bounds. */
  record WindowId(String partition, String key, long start, long end) {
  }

  @Test
  void slidingSumsMatchTheStoredMessages() {
    String source = name("sales");
    String sink = name("sliding");
    long size = 20;
    long slide = 10;
    pushRounds(source, 8, i -> slide);
    List<Message> stored = readBack(source, 8 * PER_ROUND);
    Map<String, Long> last = lastCreatedAt(stored);
    Map<WindowId, Long> expected = new HashMap<>();
    for (Message m : stored) {
      long t = m.createdAt().toEpochMilli();
      for (long start = Math.floorDiv(t, slide) * slide; start > t - size; start -= slide) {
        if (start + size <= last.get(m.partition())) {
          Sale sale = m.data(Sale.class);
          expected.merge(new WindowId(m.partition(), sale.customer(), start, start + size), (long) sale.amount(),
              Long::sum);
        }
      }
    }
    assertThat(expected.size()).as("windows enough to mean something").isGreaterThan(3 * 4 * 4);

    Stream sliding = perCustomer(source).sliding(Duration.ofMillis(size), Duration.ofMillis(slide))
        .aggregate(0, (sum, amount) -> sum.asLong() + amount.asLong()).map(StreamChecks::described).to(sink);
    assertThat(runUntil(sliding, sink, expected.size())).isEqualTo(expected);
  }

  @Test
  void sessionSumsMatchTheStoredMessages() {
    String source = name("sales");
    String sink = name("sessions");
    long gap = 40;
    pushRounds(source, 8, round -> round % 2 == 0 ? 5 : gap * 2); // some rounds join a session, some split it
    List<Message> stored = readBack(source, 8 * PER_ROUND);
    Map<String, Long> last = lastCreatedAt(stored);
    Map<WindowId, Long> expected = new HashMap<>();
    Map<List<String>, List<Message>> perKey = stored.stream().collect(Collectors.groupingBy(
        m -> List.of(m.partition(), m.data(Sale.class).customer())));
    perKey.forEach((partitionAndKey, messages) -> {
      messages.sort(Comparator.comparing(Message::createdAt));
      long start = -1;
      long previous = -1;
      long sum = 0;
      for (Message m : messages) {
        long t = m.createdAt().toEpochMilli();
        if (start >= 0 && t > previous + gap) {
          expected.put(new WindowId(partitionAndKey.get(0), partitionAndKey.get(1), start, previous + gap), sum);
          start = -1;
        }
        if (start < 0) {
          start = t;
          sum = 0;
        }
        previous = t;
        sum += m.data(Sale.class).amount();
      }
      if (previous + gap <= last.get(partitionAndKey.get(0))) {
        expected.put(new WindowId(partitionAndKey.get(0), partitionAndKey.get(1), start, previous + gap), sum);
      }
    });
    assertThat(expected.size()).as("sessions enough to mean something").isGreaterThan(3 * 4);

    Stream sessions = perCustomer(source).session(Duration.ofMillis(gap))
        .aggregate(0, (sum, amount) -> sum.asLong() + amount.asLong()).map(StreamChecks::described).to(sink);
    assertThat(runUntil(sessions, sink, expected.size())).isEqualTo(expected);
  }

  @Test
  void cronBucketsAreWholeSecondsOfTheStoredMessages() {
    String source = name("sales");
    String sink = name("cron");
    pushRounds(source, 3, round -> 1000 - System.currentTimeMillis() % 1000); // each round in a new second
    List<Message> stored = readBack(source, 3 * PER_ROUND);
    Map<String, Long> last = lastCreatedAt(stored);
    Map<WindowId, Long> expected = new HashMap<>();
    for (Message m : stored) {
      long start = m.createdAt().toEpochMilli() / 1000 * 1000;
      if (start + 1000 <= last.get(m.partition())) {
        Sale sale = m.data(Sale.class);
        expected.merge(new WindowId(m.partition(), sale.customer(), start, start + 1000), (long) sale.amount(),
            Long::sum);
      }
    }
    assertThat(expected.size()).as("two closed seconds per partition and key").isEqualTo(2 * 3 * 4);

    Stream perSecond = perCustomer(source).cron("second")
        .aggregate(0, (sum, amount) -> sum.asLong() + amount.asLong()).map(StreamChecks::described).to(sink);
    assertThat(runUntil(perSecond, sink, expected.size())).isEqualTo(expected);
  }

  @Test
  void graceKeepsALateRecordInAndDropsOneBeyondIt() {
    String source = name("events");
    String graced = name("graced");
    String strict = name("strict");
    StreamRunner withGrace = eventTimeSums(source, Duration.ofSeconds(1)).to(graced).run(name("q"), NO_FLUSH);
    StreamRunner withoutGrace = eventTimeSums(source, Duration.ZERO).to(strict).run(name("q"), NO_FLUSH);
    try {
      // given the watermark at 2.5 s: [0 s, 1 s) closed for both, [1 s, 2 s) open only with 1 s of grace
      pushAndAwaitCycle(source, List.of(event(500, 1), event(2_500, 2)), withGrace, withoutGrace);
      // when records for both arrive late, then a record moves the watermark to 5 s
      pushAndAwaitCycle(source, List.of(event(1_200, 10), event(300, 100)), withGrace, withoutGrace);
      pushAndAwaitCycle(source, List.of(event(5_000, 1_000)), withGrace, withoutGrace);
    } finally {
      withGrace.close();
      withoutGrace.close();
    }
    // then
    List<JsonNode> fromGraced = drainAll(graced, 3);
    List<JsonNode> fromStrict = drainAll(strict, 2);
    assertThat(byStart(fromGraced)).isEqualTo(Map.of(0L, 1L, 1_000L, 10L, 2_000L, 2L));
    assertThat(withGrace.lateRecords()).as("300 ms: [0 s, 1 s) had closed at 1 s + grace").isOne();
    assertThat(byStart(fromStrict)).as("without grace [1 s, 2 s) had closed before its only record came")
        .isEqualTo(Map.of(0L, 1L, 2_000L, 2L));
    assertThat(withoutGrace.lateRecords()).isEqualTo(2);
  }

  @Test
  void theIdleFlushClosesTheLastWindowOfAQuietPartition() {
    String source = name("quiet");
    String tumblingSink = name("tumbling");
    String sessionSink = name("session");
    RunOptions flushing = NO_FLUSH.idleFlush(Duration.ofMillis(100));
    StreamRunner tumbling = Stream.from(BROKER.client(), source).map(sale -> sale.get("amount"))
        .tumbling(Duration.ofMillis(300)).aggregate(0, (sum, amount) -> sum.asLong() + amount.asLong())
        .to(tumblingSink).run(name("q"), flushing);
    Map<String, Function<JsonNode, Object>> extractors = new LinkedHashMap<>();
    extractors.put("count", amount -> 1);
    extractors.put("sum", amount -> amount);
    extractors.put("min", amount -> amount);
    extractors.put("max", amount -> amount);
    extractors.put("avg", amount -> amount);
    StreamRunner session = Stream.from(BROKER.client(), source).map(sale -> sale.get("amount"))
        .session(Duration.ofMillis(200)).aggregate(extractors).to(sessionSink).run(name("q"), flushing);
    List<JsonNode> fromTumbling = new ArrayList<>();
    List<JsonNode> fromSession = new ArrayList<>();
    Message first;
    try {
      List<PushItem> sales = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        sales.add(PushItem.of(source, new Sale("c", i, 0)).partition("p"));
      }
      BROKER.queen().push(sales);
      first = readBack(source, 5).get(0);

      Eventually.until(WAIT, () -> drain(tumblingSink, fromTumbling) >= 1 && drain(sessionSink, fromSession) >= 1,
          () -> "flushed windows: " + fromTumbling + " " + fromSession + ", errors " + tumbling.lastError() + " / "
              + session.lastError());
      assertThat(tumbling.committedCycles()).as("no message after the first batch").isOne();
      assertThat(tumbling.flushCycles()).isOne();
      assertThat(session.flushCycles()).isOne();
      assertThat(StreamChecks.stateKeys(BROKER.queen(), tumbling.serverQueryId(), first.partitionId()))
          .containsExactly("__wm__");

      BROKER.queen().push(PushItem.of(source, new Sale("c", 100, 0)).partition("p"));
      Eventually.until(WAIT, () -> drain(tumblingSink, fromTumbling) >= 2 && drain(sessionSink, fromSession) >= 2,
          () -> "second windows: " + fromTumbling + " " + fromSession);
    } finally {
      tumbling.close();
      session.close();
    }
    // the sink gets what Queen's SDKs push: the aggregate, as {"value":v} when it is not an object
    assertThat(fromTumbling.get(0).toString()).isEqualTo("{\"value\":15,\"partition\":\"p\"}");
    assertThat(fromTumbling.get(1).toString()).isEqualTo("{\"value\":100,\"partition\":\"p\"}");
    // the named aggregate's object, read back from its jsonb row by the flush (so compared without key order)
    assertThat(fromSession.get(0)).isEqualTo(json("{\"count\":5,\"sum\":15,\"min\":1,\"max\":5,\"__avg_sum\":15,"
        + "\"__avg_count\":5,\"avg\":3,\"partition\":\"p\"}"));
    assertThat(fromSession.get(1)).isEqualTo(json("{\"count\":1,\"sum\":100,\"min\":100,\"max\":100,"
        + "\"__avg_sum\":100,\"__avg_count\":1,\"avg\":100,\"partition\":\"p\"}"));
    drain(tumblingSink, fromTumbling);
    drain(sessionSink, fromSession);
    assertThat(fromTumbling).as("no window emitted by both the flush and a batch").hasSize(2);
    assertThat(fromSession).hasSize(2);
  }

  @Test
  void flushesBetweenBatchesEmitEveryWindowOnce() {
    String source = name("sales");
    String sink = name("interleaved");
    long size = 20;
    int rounds = 40;
    Stream tumbling = perCustomer(source).tumbling(Duration.ofMillis(size)).grace(Duration.ofMillis(500))
        .aggregate(0, (sum, amount) -> sum.asLong() + amount.asLong()).map(StreamChecks::described).to(sink);
    List<JsonNode> emitted = new ArrayList<>();
    StreamRunner runner = tumbling.run(name("q"), NO_FLUSH.idleFlush(Duration.ofMillis(1)));
    Map<WindowId, Long> expected = new HashMap<>();
    try {
      pushRounds(source, rounds, round -> 10); // flushes of quiet partitions run between the batches
      for (Message m : readBack(source, rounds * PER_ROUND)) {
        long start = m.createdAt().toEpochMilli() / size * size;
        Sale sale = m.data(Sale.class);
        expected.merge(new WindowId(m.partition(), sale.customer(), start, start + size), (long) sale.amount(),
            Long::sum);
      }
      Eventually.until(WAIT, () -> drain(sink, emitted) >= expected.size(),
          () -> emitted.size() + " of " + expected.size() + " windows, late " + runner.lateRecords() + ", flushes "
              + runner.flushCycles() + ", cycles " + runner.committedCycles() + ", last error " + runner.lastError()
              + ", missing " + missing(expected, emitted));
    } finally {
      runner.close();
    }
    drain(sink, emitted);
    assertThat(runner.flushCycles()).as("the flush closed some, the batches others").isPositive();
    assertThat(runner.committedCycles()).isGreaterThan(rounds / 4);
    assertThat(runner.lateRecords()).isZero();
    assertThat(sums(emitted)).isEqualTo(expected);
  }

  @Test
  void aBatchThatFailedHoldsBackTheFlushUntilItCommits() {
    String source = name("retried");
    String sink = name("totals");
    BROKER.queen().configure(source, QueueOptions.builder().leaseTime(1).build());
    AtomicBoolean failOnce = new AtomicBoolean(true);
    StreamRunner runner = Stream.from(BROKER.client(), source).map(sale -> {
      if (sale.get("amount").asInt() == 100 && failOnce.getAndSet(false)) {
        throw new IllegalStateException("a transient failure");
      }
      return sale.get("amount");
    }).tumbling(Duration.ofMillis(300)).aggregate(0, (sum, amount) -> sum.asLong() + amount.asLong()).to(sink)
        .run(name("q"), NO_FLUSH.idleFlush(Duration.ofMillis(50)));
    List<JsonNode> emitted = new ArrayList<>();
    try {
      pushAndAwaitCycle(source, List.of(new Sale("c", 1, 0), new Sale("c", 2, 0)), runner);
      // when the next batch fails, its lease hides the partition from pops for a second
      BROKER.queen().push(PushItem.of(source, new Sale("c", 100, 0)).partition("p"));
      Eventually.until(WAIT, () -> drain(sink, emitted) > 0 && emitted.stream()
          .mapToLong(w -> w.get("value").asLong()).sum() >= 103, () -> emitted + ", late " + runner.lateRecords()
          + ", last error " + runner.lastError());
    } finally {
      runner.close();
    }
    assertThat(failOnce).as("the batch failed once").isFalse();
    assertThat(runner.lateRecords()).as("the retried batch found its window open").isZero();
    assertThat(emitted.stream().mapToLong(w -> w.get("value").asLong()).sum()).isEqualTo(103);
  }

  private static Stream perCustomer(String source) {
    return Stream.from(BROKER.client(), source).keyBy(sale -> sale.get("customer").asText())
        .map(sale -> sale.get("amount"));
  }

  private static Stream eventTimeSums(String source, Duration grace) {
    return Stream.from(BROKER.client(), source).tumbling(Duration.ofSeconds(1)).grace(grace)
        .eventTime(event -> event.get("at").asLong())
        .aggregate(0, (sum, event) -> sum.asLong() + event.get("amount").asLong()).map(StreamChecks::described);
  }

  private static Sale event(long at, int amount) {
    return new Sale("c", amount, at);
  }

  /** Pushes to partition "p" and waits until every runner committed one more cycle, so each push is its own batch. */
  private static void pushAndAwaitCycle(String source, List<Sale> events, StreamRunner... runners) {
    long[] before = new long[runners.length];
    for (int i = 0; i < runners.length; i++) {
      before[i] = runners[i].committedCycles();
    }
    BROKER.queen().push(events.stream().map(event -> PushItem.of(source, event).partition("p")).toList());
    BooleanSupplier allCommitted = () -> {
      for (int i = 0; i < runners.length; i++) {
        if (runners[i].committedCycles() <= before[i]) {
          return false;
        }
      }
      return true;
    };
    Eventually.until(WAIT, allCommitted, () -> "a cycle per runner after pushing " + events + ", last errors "
        + runners[0].lastError() + " / " + runners[runners.length - 1].lastError());
  }

  /** {@code rounds} pushes of PER_ROUND sales over 3 partitions and 4 customers, {@code pauseMs} apart. */
  private static void pushRounds(String source, int rounds, IntToLongFunction pauseMs) {
    int n = 0;
    for (int round = 0; round < rounds; round++) {
      List<PushItem> items = new ArrayList<>();
      for (int i = 0; i < PER_ROUND; i++, n++) {
        String customer = "c" + (n + round) % 4;
        items.add(PushItem.of(source, new Sale(customer, n % 7 + 1, 0)).partition("p" + i % 3));
      }
      BROKER.queen().push(items);
      long next = System.currentTimeMillis() + pauseMs.applyAsLong(round);
      Eventually.until(WAIT, () -> System.currentTimeMillis() >= next, () -> "clock");
    }
  }

  /** Runs the stream (no idle flush) until its sink holds {@code expected} windows; their sums per window. */
  private static Map<WindowId, Long> runUntil(Stream stream, String sink, int expected) {
    List<JsonNode> emitted = new ArrayList<>();
    StreamRunner runner = stream.run(name("q"), NO_FLUSH);
    try {
      Eventually.until(WAIT, () -> drain(sink, emitted) >= expected,
          () -> emitted.size() + " of " + expected + " windows, last error " + runner.lastError());
    } finally {
      runner.close();
    }
    drain(sink, emitted);
    assertThat(runner.failedCycles()).isZero();
    assertThat(runner.lateRecords()).isZero();
    return sums(emitted);
  }

  private static List<WindowId> missing(Map<WindowId, Long> expected, List<JsonNode> emitted) {
    Map<WindowId, Long> got = new HashMap<>();
    emitted.forEach(w -> got.put(new WindowId(w.get("partition").asText(), w.get("key").asText(),
        w.get("windowStart").asLong(), w.get("windowEnd").asLong()), w.get("value").asLong()));
    return expected.keySet().stream().filter(id -> !got.containsKey(id)).sorted(Comparator.comparing(WindowId::start))
        .toList();
  }

  /** Sums per emitted window, failing on a window emitted twice. */
  private static Map<WindowId, Long> sums(List<JsonNode> emitted) {
    Map<WindowId, Long> sums = new HashMap<>();
    emitted.forEach(w -> assertThat(sums.put(new WindowId(w.get("partition").asText(), w.get("key").asText(),
        w.get("windowStart").asLong(), w.get("windowEnd").asLong()), w.get("value").asLong()))
        .as("window %s emitted once", w).isNull());
    return sums;
  }

  private static JsonNode json(String text) {
    try {
      return StreamJson.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Long> lastCreatedAt(List<Message> stored) {
    Map<String, Long> last = new HashMap<>();
    stored.forEach(m -> last.merge(m.partition(), m.createdAt().toEpochMilli(), Math::max));
    return last;
  }

  private static Map<Long, Long> byStart(List<JsonNode> windows) {
    Map<Long, Long> sums = new HashMap<>();
    windows.forEach(w -> assertThat(sums.put(w.get("windowStart").asLong(), w.get("value").asLong())).isNull());
    return sums;
  }

  private static List<JsonNode> drainAll(String sink, int count) {
    List<JsonNode> emitted = new ArrayList<>();
    Eventually.until(WAIT, () -> drain(sink, emitted) >= count, () -> emitted + " of " + count);
    drain(sink, emitted);
    return emitted;
  }

  private static int drain(String sink, List<JsonNode> into) {
    return StreamChecks.drain(BROKER.queen(), sink, into);
  }

  private static List<Message> readBack(String source, int count) {
    return StreamChecks.readBack(BROKER.queen(), source, count);
  }
}
