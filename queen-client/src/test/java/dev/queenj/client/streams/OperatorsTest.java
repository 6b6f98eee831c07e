package dev.queenj.client.streams;

import static dev.queenj.client.streams.StreamChecks.WAIT;
import static dev.queenj.client.streams.StreamChecks.drain;
import static dev.queenj.client.streams.StreamChecks.name;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.client.PopRequest;
import dev.queenj.client.PushItem;
import dev.queenj.client.QueueOptions;
import dev.queenj.core.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** flatMap, the sink partition resolver, foreach and gate against a real broker (real Postgres). */
class OperatorsTest {
  private static final RunOptions FAST = RunOptions.defaults().maxWait(Duration.ofMillis(200));

  @RegisterExtension
  static final StreamBroker BROKER = new StreamBroker();

  @Test
  void flatMapSplitsRecordsAndTheResolverNamesTheSinkPartitions() {
    String source = name("lines");
    String sink = name("words");
    BROKER.queen().push(List.of(PushItem.of(source, "to be or not").partition("a"),
        PushItem.of(source, "").partition("b"),
        PushItem.of(source, "queen").partition("b")));
    List<JsonNode> out = new ArrayList<>();
    try (StreamRunner runner = Stream.from(BROKER.client(), source)
        .flatMap(line -> Arrays.stream(line.asText().split(" ")).filter(w -> !w.isEmpty()).toList())
        .to(sink, word -> "len-" + word.asText().length()).run(name("q"), FAST)) {
      Eventually.until(WAIT, () -> drain(BROKER.queen(), sink, out) == 5, () -> out.size() + " words, last error "
          + runner.lastError());
    }
    assertThat(out).extracting(w -> w.path("partition").asText() + ":" + w.path("value").asText())
        .containsExactlyInAnyOrder("len-2:to", "len-2:be", "len-2:or", "len-3:not", "len-5:queen");
  }

  @Test
  void foreachAcksOnlyAfterItsSideEffectSoAFailedBatchIsRepeated() {
    String source = name("jobs");
    String query = name("q");
    BROKER.queen().configure(source, QueueOptions.builder().leaseTime(1).build());
    BROKER.queen().push(List.of(PushItem.of(source, "m1"), PushItem.of(source, "m2"), PushItem.of(source, "m3")));
    List<String> done = new CopyOnWriteArrayList<>();
    AtomicBoolean failedOnce = new AtomicBoolean();
    StreamRunner runner = Stream.from(BROKER.client(), source).foreach(job -> {
      if (job.asText().equals("m2") && failedOnce.compareAndSet(false, true)) {
        throw new IllegalStateException("the side effect failed");
      }
      done.add(job.asText());
    }).run(query, FAST);
    try {
      Eventually.until(WAIT, () -> runner.committedCycles() == 1, () -> "done " + done);
    } finally {
      runner.close();
    }
    assertThat(runner.lastError()).contains("the side effect failed");
    assertThat(done).as("the whole batch again after its lease expired").containsExactly("m1", "m1", "m2", "m3");
    assertThat(BROKER.queen().pop(PopRequest.from(source).group("streams." + query).batch(10)).messages())
        .as("acked once the side effects ran").isEmpty();
  }

  @Test
  void aGateAcksTheAllowedPrefixAndTheRestReturnsInOrderOnceItsLeaseExpires() {
    String source = name("requests");
    String sink = name("approved");
    String query = name("q");
    BROKER.queen().configure(source, QueueOptions.builder().leaseTime(1).build());
    BROKER.queen().push(List.of(PushItem.of(source, "a1").partition("p"), PushItem.of(source, "a2").partition("p"),
        PushItem.of(source, "x3").partition("p"), PushItem.of(source, "a4").partition("p")));
    String partitionId = BROKER.queen().pop(PopRequest.from(source).group("check").autoAck(true)).messages().get(0)
        .partitionId();
    AtomicBoolean open = new AtomicBoolean();
    List<JsonNode> out = new ArrayList<>();
    StreamRunner runner = Stream.from(BROKER.client(), source).gate((request, ctx) -> {
      ctx.state().put("passed", ctx.state().path("passed").asInt() + 1);
      return open.get() || !request.asText().startsWith("x");
    }).to(sink).run(query, FAST);
    try {
      Eventually.until(WAIT, () -> drain(BROKER.queen(), sink, out) == 2 && runner.gateStops() >= 1,
          () -> out.size() + " approved, " + runner.gateStops() + " stops, last error " + runner.lastError());
      assertThat(runner.committedCycles()).as("one partial cycle; the redelivered batch was denied at once")
          .isEqualTo(1);
      BROKER.queen().push(PushItem.of(source, "b1").partition("other"));
      Eventually.until(WAIT, () -> drain(BROKER.queen(), sink, out) == 3,
          () -> "another partition is not held up by the gate");
      open.set(true);
      Eventually.until(WAIT, () -> drain(BROKER.queen(), sink, out) == 5, () -> out.size() + " approved");
    } finally {
      runner.close();
    }
    drain(BROKER.queen(), sink, out);
    assertThat(out.stream().filter(w -> w.path("partition").asText().equals("p")).map(w -> w.path("value").asText()))
        .as("each once, in the source's order").containsExactly("a1", "a2", "x3", "a4");
    assertThat(state(runner.serverQueryId(), partitionId).path("passed").asInt())
        .as("the gate's object for the partition counts only allowed records").isEqualTo(4);
  }

  private static JsonNode state(String queryId, String partitionId) {
    JsonNode rows = BROKER.queen().call("POST", "/streams/v1/state/get", StreamJson.object().put("query_id", queryId)
        .put("partition_id", partitionId)).path("rows");
    return rows.isEmpty() ? StreamJson.object() : rows.get(0).path("value");
  }
}
