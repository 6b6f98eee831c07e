package dev.queenj.client.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.client.Message;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The cycle a batch becomes for each window kind, without a server: which windows close, what their rows become,
 * which records are late, and the idle flush's ack-less cycle. Times are small epoch millis so keys read plainly.
 */
class WindowCycleTest {
  /** The messages' partition id: the key of records without keyBy, as in Queen's SDKs. */
  private static final String PID = "00000000-0000-0000-0000-000000000001";
  private static final String SEP = "\u001f";

  @Test
  void aSlidingWindowCountsEachRecordInSizeOverSlideWindows() {
    Stream sums = Stream.from(null, "in").sliding(Duration.ofSeconds(20), Duration.ofSeconds(10))
        .aggregate(0, (sum, v) -> sum.asLong() + v.path("n").asLong()).map(StreamChecks::described).to("out");

    ObjectNode cycle = PartitionCycle.build(sums, "q",
        List.of(message("m1", 5_000, "a", 1), message("m2", 15_000, "a", 2), message("m3", 25_000, "a", 4)),
        Map.of());

    assertThat(payloads(cycle)).as("the windows ending by 25 s, the latest time seen").containsExactly(
        "{\"key\":\"" + PID + "\",\"windowStart\":-10000,\"windowEnd\":10000,\"value\":1}",
        "{\"key\":\"" + PID + "\",\"windowStart\":0,\"windowEnd\":20000,\"value\":3}");
    assertThat(ops(cycle)).containsExactly(
        "upsert slide:20:10" + SEP + "1970-01-01T00:00:10.000Z" + SEP + PID
            + " {\"acc\":6,\"windowStart\":10000,\"windowEnd\":30000}",
        "upsert slide:20:10" + SEP + "1970-01-01T00:00:20.000Z" + SEP + PID
            + " {\"acc\":4,\"windowStart\":20000,\"windowEnd\":40000}",
        "upsert __wm__ {\"eventTimeMs\":25000}");
  }

  @Test
  void aSessionClosesWhenTheGapPassesAndLateRecordsAreDropped() {
    Stream sessions = Stream.from(null, "in").keyBy(v -> v.path("k").asText()).session(Duration.ofSeconds(10))
        .aggregate(0, (sum, v) -> sum.asLong() + v.path("n").asLong()).map(StreamChecks::described).to("out");
    Map<String, JsonNode> state = Map.of(
        "__wm__", json("{\"eventTimeMs\":20000}"),
        "sess:10" + SEP + "open" + SEP + "c", json("{\"acc\":7,\"sessionStart\":12000,\"lastEventTime\":18000}"));
    int[] late = {0};

    ObjectNode cycle = PartitionCycle.build(sessions, "q", List.of(
        message("m1", 21_000, "a", 1), message("m2", 25_000, "a", 2), message("m3", 26_000, "c", 3),
        message("m0", 8_000, "d", 100), message("m4", 40_000, "a", 4)), state, count -> late[0] = count);

    assertThat(payloads(cycle)).containsExactly(
        "{\"key\":\"a\",\"windowStart\":21000,\"windowEnd\":35000,\"value\":3}",
        "{\"key\":\"c\",\"windowStart\":12000,\"windowEnd\":36000,\"value\":10}");
    assertThat(ops(cycle)).containsExactly(
        "upsert sess:10" + SEP + "open" + SEP + "a {\"acc\":4,\"sessionStart\":40000,\"lastEventTime\":40000}",
        "delete sess:10" + SEP + "open" + SEP + "c",
        "upsert __wm__ {\"eventTimeMs\":40000}");
    assertThat(late[0]).as("d at 8 s: its session [8 s, 18 s) had closed by the stored watermark, 20 s").isOne();
  }

  @Test
  void cronBucketsAreWallClockPeriods() {
    Stream perMinute = Stream.from(null, "in").cron("minute")
        .aggregate(0, (sum, v) -> sum.asLong() + v.path("n").asLong()).map(StreamChecks::described).to("out");

    ObjectNode cycle = PartitionCycle.build(perMinute, "q", List.of(message("m1", 30_000, "a", 1),
        message("m2", 59_999, "a", 2), message("m3", 70_000, "a", 4), message("m4", 125_000, "a", 8)), Map.of());

    assertThat(payloads(cycle)).containsExactly(
        "{\"key\":\"" + PID + "\",\"windowStart\":0,\"windowEnd\":60000,\"value\":3}",
        "{\"key\":\"" + PID + "\",\"windowStart\":60000,\"windowEnd\":120000,\"value\":4}");
    assertThat(ops(cycle)).containsExactly(
        "upsert cron:minute" + SEP + "1970-01-01T00:02:00.000Z" + SEP + PID
            + " {\"acc\":8,\"windowStart\":120000,\"windowEnd\":180000}",
        "upsert __wm__ {\"eventTimeMs\":125000}");

    long sunday = Instant.parse("2026-12-06T07:18:00Z").toEpochMilli();
    long weekStart = new Window.Cron(Window.Every.WEEK).starts(sunday)[0];
    assertThat(weekStart).as("a week starts on Monday 00:00 UTC")
        .isEqualTo(Instant.parse("2026-11-30T00:00:00Z").toEpochMilli());
    assertThat(Instant.ofEpochMilli(weekStart).atOffset(ZoneOffset.UTC).getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
    assertThat(new Window.Cron(Window.Every.DAY).starts(sunday)[0])
        .isEqualTo(Instant.parse("2026-12-06T00:00:00Z").toEpochMilli());
    assertThatThrownBy(() -> Stream.from(null, "in").cron("fortnight")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("second|minute|hour|day|week");
  }

  @Test
  void graceKeepsAWindowOpenForLateRecordsAndDropsThoseBeyondIt() {
    Map<String, JsonNode> state = new TreeMap<>(Map.of("__wm__", json("{\"eventTimeMs\":22000}"),
        "tumb:10" + SEP + "1970-01-01T00:00:10.000Z" + SEP + PID,
        json("{\"acc\":5,\"windowStart\":10000,\"windowEnd\":20000}")));
    List<Message> batch = List.of(message("m1", 12_000, "a", 10), message("m0", 3_000, "a", 100),
        message("m2", 24_000, "a", 1));
    int[] late = {0};

    Stream graced = sums(Duration.ofSeconds(5));
    ObjectNode first = PartitionCycle.build(graced, "q", batch, state, count -> late[0] = count);
    assertThat(payloads(first)).as("[10 s, 20 s) stays open until 25 s").isEmpty();
    assertThat(late[0]).as("3 s: [0, 10) closed at 15 s").isOne();
    applyOps(first, state);
    ObjectNode second = PartitionCycle.build(graced, "q", List.of(message("m3", 25_000, "a", 1000)), state,
        count -> late[0] = count);
    assertThat(payloads(second)).containsExactly(
        "{\"key\":\"" + PID + "\",\"windowStart\":10000,\"windowEnd\":20000,\"value\":15}");
    assertThat(late[0]).isZero();

    ObjectNode strict = PartitionCycle.build(sums(Duration.ZERO), "q", batch, Map.of("__wm__",
        json("{\"eventTimeMs\":22000}")), count -> late[0] = count);
    assertThat(late[0]).as("without grace, 12 s is late too").isEqualTo(2);
    assertThat(ops(strict)).containsExactly(
        "upsert tumb:10" + SEP + "1970-01-01T00:00:20.000Z" + SEP + PID
            + " {\"acc\":1,\"windowStart\":20000,\"windowEnd\":30000}",
        "upsert __wm__ {\"eventTimeMs\":24000}");
  }

  @Test
  void allowedLatenessHoldsTheWatermarkBackAndIncludeReEmitsLateRecords() {
    Stream lagging = Stream.from(null, "in").tumbling(Duration.ofSeconds(10)).allowedLateness(Duration.ofSeconds(5))
        .onLate("include").aggregate(0, (sum, v) -> sum.asLong() + v.path("n").asLong())
        .map(StreamChecks::described).to("out");
    Map<String, JsonNode> state = new TreeMap<>();

    ObjectNode first = PartitionCycle.build(lagging, "q", List.of(message("m1", 12_000, "a", 1),
        message("m2", 24_000, "a", 2)), state);
    assertThat(payloads(first)).as("24 s - 5 s: [10 s, 20 s) is still open").isEmpty();
    assertThat(ops(first)).contains("upsert __wm__ {\"eventTimeMs\":19000}");
    applyOps(first, state);
    ObjectNode second = PartitionCycle.build(lagging, "q", List.of(message("m3", 26_000, "a", 4)), state);
    assertThat(payloads(second)).containsExactly(
        "{\"key\":\"" + PID + "\",\"windowStart\":10000,\"windowEnd\":20000,\"value\":1}");
    applyOps(second, state);

    int[] late = {0};
    ObjectNode third = PartitionCycle.build(lagging, "q", List.of(message("m4", 15_000, "a", 100)), state,
        count -> late[0] = count);
    assertThat(payloads(third)).as("the closed window again, with the late record alone").containsExactly(
        "{\"key\":\"" + PID + "\",\"windowStart\":10000,\"windowEnd\":20000,\"value\":100}");
    assertThat(late[0]).isZero();
    Stream dropping = Stream.from(null, "in").tumbling(Duration.ofSeconds(10)).allowedLateness(Duration.ofSeconds(5))
        .aggregate(0, (sum, v) -> sum.asLong() + v.path("n").asLong()).to("out");
    assertThat(payloads(PartitionCycle.build(dropping, "q", List.of(message("m4", 15_000, "a", 100)), state,
        count -> late[0] = count))).isEmpty();
    assertThat(late[0]).isOne();

    Stream sessions = Stream.from(null, "in").session(Duration.ofSeconds(10)).onLate("include")
        .aggregate(0, (sum, v) -> sum.asLong() + v.path("n").asLong()).map(StreamChecks::described).to("out");
    ObjectNode reopened = PartitionCycle.build(sessions, "q", List.of(message("m5", 5_000, "a", 7)),
        Map.of("__wm__", json("{\"eventTimeMs\":20000}")));
    assertThat(payloads(reopened)).containsExactly(
        "{\"key\":\"" + PID + "\",\"windowStart\":5000,\"windowEnd\":15000,\"value\":7}");
    assertThatThrownBy(() -> Stream.from(null, "in").session(Duration.ofSeconds(1)).onLate("keep"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'drop' or 'include'");
  }

  @Test
  void anIdleFlushClosesRipeWindowsWithoutAnAckAndMovesTheWatermark() {
    Stream tumbling = sums(Duration.ofSeconds(2));
    Map<String, JsonNode> ripe = Map.of("__wm__", json("{\"eventTimeMs\":24000}"),
        "tumb:10" + SEP + "1970-01-01T00:00:20.000Z" + SEP + PID,
        json("{\"acc\":1,\"windowStart\":20000,\"windowEnd\":30000}"));

    ObjectNode flush = PartitionCycle.flush(tumbling, "q", "pid", "streams.q", "p", ripe, 33_000);

    assertThat(flush.get("ack").isNull()).isTrue();
    assertThat(flush.get("consumer_group").asText()).isEqualTo("streams.q");
    assertThat(payloads(flush))
        .containsExactly("{\"key\":\"" + PID + "\",\"windowStart\":20000,\"windowEnd\":30000,\"value\":1}");
    assertThat(ops(flush)).containsExactly("delete tumb:10" + SEP + "1970-01-01T00:00:20.000Z" + SEP + PID,
        "upsert __wm__ {\"eventTimeMs\":33000}");
    assertThat(PartitionCycle.flush(tumbling, "q", "pid", "streams.q", "p", ripe, 31_000))
        .as("within the 2 s grace nothing is ripe").isNull();

    Stream sessions = Stream.from(null, "in").session(Duration.ofMillis(1500))
        .aggregate(0, (sum, v) -> sum.asLong() + v.path("n").asLong()).map(StreamChecks::described).to("out");
    Map<String, JsonNode> open = Map.of(
        "sess:1.5" + SEP + "open" + SEP + "a", json("{\"acc\":3,\"sessionStart\":1000,\"lastEventTime\":2000}"),
        "sess:1.5" + SEP + "open" + SEP + "b", json("{\"acc\":4,\"sessionStart\":1000,\"lastEventTime\":3000}"));
    ObjectNode sessionFlush = PartitionCycle.flush(sessions, "q", "pid", "streams.q", "p", open, 4_000);
    assertThat(payloads(sessionFlush)).containsExactly(
        "{\"key\":\"a\",\"windowStart\":1000,\"windowEnd\":3500,\"value\":3}");
    assertThat(ops(sessionFlush)).containsExactly("delete sess:1.5" + SEP + "open" + SEP + "a",
        "upsert __wm__ {\"eventTimeMs\":4000}");
  }

  @Test
  void aNamedAggregateFoldsEachFieldAsQueensAggregate() {
    Map<String, Function<JsonNode, Object>> extractors = new LinkedHashMap<>();
    extractors.put("count", v -> v.path("weight").isNumber() ? v.get("weight") : "not a number");
    extractors.put("sum", v -> v.get("n"));
    extractors.put("min", v -> v.get("n"));
    extractors.put("max", v -> v.get("n"));
    extractors.put("avg", v -> v.get("n"));
    extractors.put("halves", v -> v.get("n").asDouble() / 2);
    Stream stats = Stream.from(null, "in").tumbling(Duration.ofSeconds(10)).aggregate(extractors).to("out");
    ObjectNode weighted = StreamJson.object().put("n", "x").put("weight", 3);

    ObjectNode cycle = PartitionCycle.build(stats, "q", List.of(message("m1", 1_000, "a", 4),
        new Message("m2", "t-m2", null, weighted, null, Instant.ofEpochMilli(2_000), "in", "p", PID, "lease",
            "streams.q", 0), message("m3", 3_000, "a", 1), message("m4", 10_000, "a", 7)), Map.of());

    assertThat(payloads(cycle)).as("a non-number counts 1 but adds nothing; min/max/avg skip it").containsExactly(
        "{\"count\":5,\"sum\":5,\"min\":1,\"max\":4,\"__avg_sum\":5,\"__avg_count\":2,\"avg\":2.5,"
            + "\"halves\":2.5}");
    assertThat(ops(cycle).get(0)).isEqualTo("upsert tumb:10" + SEP + "1970-01-01T00:00:10.000Z" + SEP + PID
        + " {\"acc\":{\"count\":1,\"sum\":7,\"min\":7,\"max\":7,\"__avg_sum\":7,\"__avg_count\":1,\"avg\":7,"
        + "\"halves\":3.5},\"windowStart\":10000,\"windowEnd\":20000}");
    assertThatThrownBy(() -> Stream.from(null, "in").tumbling(Duration.ofSeconds(1)).aggregate(Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one extractor");
  }

  @Test
  void tagsAndBadShapesFollowQueensSdks() {
    assertThat(new Window.Tumbling(500).tag()).isEqualTo("tumb:0.5");
    assertThat(new Window.Sliding(60_000, 30_000).tag()).isEqualTo("slide:60:30");
    assertThat(new Window.Session(1_500).openPrefix()).isEqualTo("sess:1.5" + SEP + "open" + SEP);
    assertThat(new Window.Cron(Window.Every.HOUR).tag()).isEqualTo("cron:hour");
    assertThatThrownBy(() -> new Window.Sliding(60_000, 7_000)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("integer multiple");
    assertThat(sums(Duration.ZERO).configHash()).as("grace is part of the chain's shape")
        .isNotEqualTo(sums(Duration.ofSeconds(1)).configHash());
    assertThatThrownBy(() -> Stream.from(null, "in").tumbling(Duration.ofSeconds(1)).aggregate(0, (a, b) -> a)
        .sliding(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
  }

  private static Stream sums(Duration grace) {
    return Stream.from(null, "in").tumbling(Duration.ofSeconds(10)).grace(grace)
        .aggregate(0, (sum, v) -> sum.asLong() + v.path("n").asLong()).map(StreamChecks::described).to("out");
  }

  /** What the server does with a cycle's state ops, for chaining cycles. */
  private static void applyOps(ObjectNode cycle, Map<String, JsonNode> state) {
    cycle.get("state_ops").forEach(op -> {
      if (op.get("type").asText().equals("delete")) {
        state.remove(op.get("key").asText());
      } else {
        state.put(op.get("key").asText(), op.get("value"));
      }
    });
  }

  private static List<String> payloads(ObjectNode cycle) {
    List<String> payloads = new ArrayList<>();
    cycle.get("push_items").forEach(item -> payloads.add(item.get("payload").toString()));
    return payloads;
  }

  private static List<String> ops(ObjectNode cycle) {
    List<String> ops = new ArrayList<>();
    cycle.get("state_ops").forEach(op -> ops.add(op.get("type").asText() + " " + op.get("key").asText()
        + (op.has("value") ? " " + op.get("value") : "")));
    return ops;
  }

  private static JsonNode json(String text) {
    try {
      return StreamJson.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static Message message(String id, long createdAtMs, String key, int n) {
    return new Message(id, "t-" + id, null, StreamJson.object().put("k", key).put("n", n), null,
        Instant.ofEpochMilli(createdAtMs), "in", "p", PID, "lease", "streams.q", 0);
  }
}
