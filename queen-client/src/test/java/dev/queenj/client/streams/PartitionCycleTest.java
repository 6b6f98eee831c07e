package dev.queenj.client.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.client.Message;
import dev.queenj.client.Retry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cycle a batch becomes, without a server: window closing, late records, reduce, pass-through payloads. */
class PartitionCycleTest {
  private static final String SEP = "\u001f";
  private static final String PID = "00000000-0000-0000-0000-000000000001";

  @Test
  void aLaterMessageClosesTheWindowAndALateOneIsDropped() {
    Stream max = Stream.from(null, "in").tumbling(Duration.ofSeconds(10))
        .reduce((a, b) -> a.asInt() >= b.asInt() ? a : b).to("out");
    ObjectNode watermark = StreamJson.object();
    watermark.set("eventTimeMs", StreamJson.tree(25_000L));
    ObjectNode open = StreamJson.object().put("windowStart", 20_000).put("windowEnd", 30_000);
    open.set("acc", IntNode.valueOf(4));
    Map<String, JsonNode> state = Map.of("__wm__", watermark, "tumb:10" + SEP + "1970-01-01T00:00:20.000Z" + SEP + PID,
        open);

    ObjectNode cycle = PartitionCycle.build(max, "q", List.of(
        message("m3", 31_000, 1), message("m1", 21_000, 9), message("m0", 12_000, 100), message("m2", 29_000, 2)),
        state);

    assertThat(cycle.get("push_items")).hasSize(1);
    JsonNode closed = cycle.get("push_items").get(0);
    assertThat(closed.get("queue").asText()).isEqualTo("out");
    assertThat(closed.get("partition").asText()).isEqualTo("p");
    assertThat(closed.get("payload").toString())
        .as("the aggregate alone, wrapped as not an object; the late 100 (window 10 s–20 s, watermark 25 s) is not"
            + " counted").isEqualTo("{\"value\":9}");
    assertThat(ops(cycle)).containsExactly(
        "delete tumb:10" + SEP + "1970-01-01T00:00:20.000Z" + SEP + PID,
        "upsert tumb:10" + SEP + "1970-01-01T00:00:30.000Z" + SEP + PID
            + " {\"acc\":1,\"windowStart\":30000,\"windowEnd\":40000}",
        "upsert __wm__ {\"eventTimeMs\":31000}");
    assertThat(cycle.get("ack").toString()).as("the last message by createdAt, counting the whole batch")
        .isEqualTo("{\"transactionId\":\"t-m3\",\"leaseId\":\"lease\",\"status\":\"completed\",\"count\":4}");
    assertThat(cycle.get("release_lease").asBoolean()).isTrue();
  }

  @Test
  void aWindowsResultIsItsAggregateAndItsBoundsComeInTheContext() {
    List<EmitContext> contexts = new ArrayList<>();
    Stream totals = Stream.from(null, "in").tumbling(Duration.ofSeconds(10))
        .aggregate(Map.of("sum", v -> v)).map((agg, ctx) -> {
          contexts.add(ctx);
          return agg;
        }).to("out");
    ObjectNode cycle = PartitionCycle.build(totals, "q", List.of(message("a", 1_000, 2), message("b", 3_000, 5),
        message("c", 10_000, 1)), Map.of());
    assertThat(cycle.get("push_items").toString()).as("an object aggregate is pushed as it is")
        .isEqualTo("[{\"queue\":\"out\",\"partition\":\"p\",\"payload\":{\"sum\":7}}]");
    assertThat(contexts).containsExactly(new EmitContext("p", PID, PID, "1970-01-01T00:00:00.000Z", 0L, 10_000L));

    List<String> seen = new ArrayList<>();
    Stream effect = Stream.from(null, "in").keyBy(v -> "k" + v.asInt() % 2).session(Duration.ofSeconds(1))
        .reduce((acc, v) -> acc.asLong() + v.asLong())
        .foreach((sum, ctx) -> seen.add(sum + " " + ctx));
    PartitionCycle.build(effect, "q", List.of(message("a", 1_000, 3), message("b", 1_500, 4),
        message("c", 9_000, 2)), Map.of());
    assertThat(seen).containsExactlyInAnyOrder(
        "3 EmitContext[partition=p, partitionId=" + PID + ", key=k1, windowKey=1970-01-01T00:00:01.000Z,"
            + " windowStart=1000, windowEnd=2000]",
        "4 EmitContext[partition=p, partitionId=" + PID + ", key=k0, windowKey=1970-01-01T00:00:01.500Z,"
            + " windowStart=1500, windowEnd=2500]");
  }

  @Test
  void filterAndFlatMapAfterAWindowOrAGateGetTheContextTooAndBeforeThemNone() {
    List<EmitContext> before = new ArrayList<>();
    Stream windows = Stream.from(null, "in").filter((v, ctx) -> before.add(ctx)).tumbling(Duration.ofSeconds(1))
        .aggregate(0, (sum, v) -> sum.asLong() + v.asLong())
        .filter((sum, ctx) -> ctx.windowStart() > 0)
        .flatMap((sum, ctx) -> List.of(sum, ctx.windowEnd())).to("out");
    ObjectNode cycle = PartitionCycle.build(windows, "q", List.of(message("a", 500, 1), message("b", 1_500, 2),
        message("c", 2_500, 4)), Map.of());
    assertThat(before).as("Queen passes no ctx before the window").containsExactly(null, null, null);
    assertThat(cycle.get("push_items").findValuesAsText("partition")).hasSize(2);
    assertThat(cycle.get("push_items").findValues("payload").toString())
        .as("[0 s, 1 s) filtered out by its start; [1 s, 2 s) as its sum and its end").isEqualTo("[{\"value\":2}, "
            + "{\"value\":2000}]");

    List<EmitContext> gated = new ArrayList<>();
    Stream allowed = Stream.from(null, "in").gate((v, ctx) -> true).foreach((v, ctx) -> gated.add(ctx));
    PartitionCycle.build(allowed, "q", List.of(message("a", 1, 1)), Map.of());
    assertThat(gated).containsExactly(new EmitContext("p", PID, PID, null, null, null));
  }

  @Test
  void reduceWithoutAnInitialValueFoldsTheFirstRecordIntoNullAsQueensReduce() {
    List<String> accumulators = new ArrayList<>();
    Stream concatenated = Stream.from(null, "in").tumbling(Duration.ofSeconds(10)).reduce((acc, v) -> {
      accumulators.add(acc.getNodeType() + ":" + acc);
      return acc.isNull() ? v.asText() : acc.asText() + "," + v.asText();
    }).to("out");
    ObjectNode cycle = PartitionCycle.build(concatenated, "q", List.of(message("a", 1_000, 2), message("b", 2_000, 5),
        message("c", 10_000, 1)), Map.of());
    assertThat(accumulators).containsExactly("NULL:null", "STRING:\"2\"", "NULL:null");
    assertThat(cycle.get("push_items").get(0).get("payload").toString()).isEqualTo("{\"value\":\"2,5\"}");
    assertThat(ConfigHash.shape(concatenated, null).get(1).toString())
        .isEqualTo("{\"kind\":\"reduce\",\"hasInitial\":false}");
  }

  @Test
  void withoutAWindowEveryKeptRecordIsPushedAndScalarsAreWrapped() {
    Stream doubled = Stream.from(null, "in").filter(v -> v.asInt() > 1).map(v -> v.asInt() * 2).to("out");
    ObjectNode cycle = PartitionCycle.build(doubled, "q", List.of(message("a", 1, 1), message("b", 2, 5)), Map.of());
    assertThat(cycle.get("push_items").toString())
        .isEqualTo("[{\"queue\":\"out\",\"partition\":\"p\",\"payload\":{\"value\":10}}]");
    assertThat(cycle.get("state_ops")).isEmpty();
    assertThat(cycle.get("ack").get("count").asInt()).isEqualTo(2);
  }

  @Test
  void flatMapMakesZeroOrMoreRecordsAndTheResolverNamesEachSinkPartition() {
    Stream words = Stream.from(null, "in").flatMap(v -> v.asInt() == 0 ? List.of() : List.of(v.asInt(), -v.asInt()))
        .to("out", v -> v.asInt() > 0 ? "pos" : "neg");
    ObjectNode cycle = PartitionCycle.build(words, "q", List.of(message("a", 1, 0), message("b", 2, 3)), Map.of());
    assertThat(cycle.get("push_items").toString()).isEqualTo("[{\"queue\":\"out\",\"partition\":\"pos\","
        + "\"payload\":{\"value\":3}},{\"queue\":\"out\",\"partition\":\"neg\",\"payload\":{\"value\":-3}}]");
    assertThat(cycle.get("ack").get("count").asInt()).as("both messages, the one that made nothing too").isEqualTo(2);
  }

  @Test
  void foreachRunsOnEveryResultBeforeTheCycleAndPushesNothing() {
    List<Integer> seen = new ArrayList<>();
    Stream effect = Stream.from(null, "in").map(v -> v.asInt() + 1).foreach(v -> seen.add(v.asInt()));
    ObjectNode cycle = PartitionCycle.build(effect, "q", List.of(message("a", 1, 1), message("b", 2, 2)), Map.of());
    assertThat(seen).containsExactly(2, 3);
    assertThat(cycle.get("push_items")).isEmpty();
    assertThat(cycle.get("ack").get("count").asInt()).isEqualTo(2);
    assertThat(cycle.get("release_lease").asBoolean()).isTrue();
  }

  @Test
  void aGateAcksTheAllowedPrefixKeepsItsStateAndKeepsTheLeaseAfterADeny() {
    Stream limited = Stream.from(null, "in").gate((v, ctx) -> {
      int used = ctx.state().path("used").asInt();
      ctx.state().put("used", used + 1); // dropped when denied
      return used + v.asInt() <= 3;
    }).to("out");
    ObjectNode stored = StreamJson.object().put("used", 1);
    ObjectNode cycle = PartitionCycle.build(limited, "q",
        List.of(message("m1", 1, 1), message("m2", 2, 1), message("m3", 3, 1), message("m4", 4, 0)),
        Map.of(PID, stored));
    assertThat(cycle.get("push_items")).hasSize(2);
    assertThat(ops(cycle)).containsExactly("upsert " + PID + " {\"used\":3}");
    assertThat(cycle.get("ack").toString()).as("the last allowed message, counting the allowed ones")
        .isEqualTo("{\"transactionId\":\"t-m2\",\"leaseId\":\"lease\",\"status\":\"completed\",\"count\":2}");
    assertThat(cycle.get("release_lease").asBoolean()).isFalse();
    assertThat(stored.get("used").asInt()).as("the stored row is not changed in place").isEqualTo(1);

    ObjectNode full = StreamJson.object().put("used", 3);
    assertThat(PartitionCycle.build(limited, "q", List.of(message("m5", 5, 1)), Map.of(PID, full)))
        .as("nothing allowed: no cycle").isNull();
    ObjectNode all = PartitionCycle.build(limited, "q", List.of(message("m6", 6, 1)), Map.of());
    assertThat(all.get("release_lease").asBoolean()).as("all allowed: the lease is released").isTrue();
  }

  @Test
  void aMessageIsAllowedOnlyWhenEveryRecordItMadeIsAndItsStateChangesGoWithIt() {
    Stream perRecord = Stream.from(null, "in").flatMap(v -> List.of(1, v.asInt())).gate((v, ctx) -> {
      ctx.state().put("n", ctx.state().path("n").asInt() + 1);
      return v.asInt() < 5;
    }).to("out");
    ObjectNode cycle = PartitionCycle.build(perRecord, "q", List.of(message("a", 1, 2), message("b", 2, 9)),
        Map.of());
    assertThat(cycle.get("push_items")).as("a's two records; b's first record goes with b").hasSize(2);
    assertThat(ops(cycle)).containsExactly("upsert " + PID + " {\"n\":2}");
    assertThat(cycle.get("ack").get("count").asInt()).isEqualTo(1);
  }

  @Test
  void theRateLimitersKeepQueensStateAndRefillByTheGatesClock() {
    Gate bucket = RateLimiters.tokenBucket(2, 1, v -> v.asDouble());
    ObjectNode state = StreamJson.object();
    assertThat(bucket.allow(IntNode.valueOf(1), at(state, 10_000))).isTrue();
    assertThat(bucket.allow(IntNode.valueOf(1), at(state, 10_000))).isTrue();
    assertThat(bucket.allow(IntNode.valueOf(1), at(state, 10_500))).as("half a token back").isFalse();
    assertThat(bucket.allow(IntNode.valueOf(0), at(state, 10_500))).as("a zero cost always passes").isTrue();
    assertThat(bucket.allow(IntNode.valueOf(1), at(state, 11_000))).isTrue();
    assertThat(state.toString()).isEqualTo("{\"tokens\":0,\"lastRefillAt\":11000,\"allowedTotal\":3,"
        + "\"consumedTotal\":3}");

    Gate window = RateLimiters.slidingWindow(4, Duration.ofSeconds(10));
    ObjectNode counts = StreamJson.object();
    for (int i = 0; i < 4; i++) {
      assertThat(window.allow(IntNode.valueOf(i), at(counts, 15_000))).isTrue();
    }
    assertThat(window.allow(IntNode.valueOf(4), at(counts, 19_999))).isFalse();
    assertThat(window.allow(IntNode.valueOf(5), at(counts, 25_000))).as("4 × (1 - 0.5) + 0 + 1 <= 4").isTrue();
    assertThat(window.allow(IntNode.valueOf(6), at(counts, 25_000))).as("2 + 1 + 1 <= 4").isTrue();
    assertThat(window.allow(IntNode.valueOf(7), at(counts, 25_000))).isFalse();
    assertThat(counts.toString()).isEqualTo("{\"previousCount\":4,\"currentCount\":2,\"window\":2}");
  }

  @Test
  void onlyCyclesThatAckAndReleaseTheLeaseAreReplayedAfterALostAnswer() {
    Stream limited = Stream.from(null, "in").gate((v, ctx) -> v.asInt() > 0).to("out");
    ObjectNode whole = PartitionCycle.build(limited, "q", List.of(message("a", 1, 1)), Map.of());
    ObjectNode partial = PartitionCycle.build(limited, "q", List.of(message("a", 1, 1), message("b", 2, 0)),
        Map.of());
    assertThat(StreamRunner.replay(whole)).as("a replay fails whole on the released lease").isEqualTo(Retry.SAFE);
    assertThat(StreamRunner.replay(partial)).as("a replay would push again: the lease is still ours")
        .isEqualTo(Retry.IF_NOT_APPLIED);
    ObjectNode flush = StreamJson.object().putNull("ack");
    assertThat(StreamRunner.replay(flush)).as("an ack-less flush").isEqualTo(Retry.IF_NOT_APPLIED);
  }

  /** The gate's context at {@code nowMs}, over one state object the calls share. */
  private static GateContext at(ObjectNode state, long nowMs) {
    return new GateContext(state, nowMs, PID, "p", PID);
  }

  private static List<String> ops(ObjectNode cycle) {
    List<String> ops = new ArrayList<>();
    cycle.get("state_ops").forEach(op -> ops.add(op.get("type").asText() + " " + op.get("key").asText()
        + (op.has("value") ? " " + op.get("value") : "")));
    return ops;
  }

  private static Message message(String id, long createdAtMs, int value) {
    return new Message(id, "t-" + id, null, IntNode.valueOf(value), null, Instant.ofEpochMilli(createdAtMs), "in",
        "p", PID, "lease", "streams.q", 0);
  }
}
