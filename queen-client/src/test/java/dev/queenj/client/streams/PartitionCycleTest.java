package dev.queenj.client.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.client.Message;
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
        .as("the late 100 (window 10 s–20 s, watermark 25 s) is not counted")
        .isEqualTo("{\"key\":\"" + PID + "\",\"windowStart\":20000,\"windowEnd\":30000,\"value\":9}");
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
