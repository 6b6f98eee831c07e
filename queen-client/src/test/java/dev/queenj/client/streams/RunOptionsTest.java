package dev.queenj.client.streams;

import static dev.queenj.client.streams.StreamChecks.WAIT;
import static dev.queenj.client.streams.StreamChecks.drain;
import static dev.queenj.client.streams.StreamChecks.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.client.PopRequest;
import dev.queenj.client.PushItem;
import dev.queenj.client.QueueOptions;
import dev.queenj.core.testing.Eventually;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The runner's options against a real broker: the pop's (spec §3.1: group, subscription, batch size, partitions)
 * and the onError hook.
 */
class RunOptionsTest {
  private static final RunOptions FAST = RunOptions.defaults().maxWait(Duration.ofMillis(200));

  @RegisterExtension
  static final StreamBroker BROKER = new StreamBroker();

  @Test
  void batchSizeAndMaxPartitionsBoundEachCycle() {
    String source = name("src");
    String sink = name("out");
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      items.add(PushItem.of(source, i).partition("p" + i % 2));
    }
    BROKER.queen().push(items);
    List<JsonNode> seen = new ArrayList<>();
    try (StreamRunner runner = Stream.from(BROKER.client(), source).to(sink)
        .run(name("q"), FAST.batchSize(5).maxPartitions(1))) {
      Eventually.until(WAIT, () -> drain(BROKER.queen(), sink, seen) == 20, () -> seen.size() + " of 20");
      assertThat(runner.committedCycles()).as("4 pops of 5 messages of one partition").isEqualTo(4);
    }
  }

  @Test
  void anotherConsumerGroupIsTheQuerysPosition() {
    String source = name("src");
    String sink = name("out");
    String group = name("my-group");
    String query = name("q");
    BROKER.queen().push(PushItem.of(source, "one"));
    List<JsonNode> seen = new ArrayList<>();
    try (StreamRunner runner = Stream.from(BROKER.client(), source).to(sink).run(query, FAST.consumerGroup(group))) {
      Eventually.until(WAIT, () -> drain(BROKER.queen(), sink, seen) == 1, () -> "last error " + runner.lastError());
    }
    assertThat(groupsOf(source)).containsExactly(group);
    // the default group never read the source: it still sees everything
    assertThat(BROKER.queen().pop(PopRequest.from(source).group("streams." + query).autoAck(true)).messages())
        .hasSize(1);
  }

  @Test
  void subscriptionFromSkipsWhatCameBefore() {
    String source = name("src");
    String sink = name("out");
    BROKER.queen().push(PushItem.of(source, "before"));
    Instant from = Instant.now().plusMillis(5);
    Eventually.until(WAIT, () -> Instant.now().isAfter(from), () -> "clock");
    BROKER.queen().push(PushItem.of(source, "after"));
    List<JsonNode> seen = new ArrayList<>();
    try (StreamRunner runner = Stream.from(BROKER.client(), source).to(sink)
        .run(name("q"), FAST.subscriptionFrom(from))) {
      Eventually.until(WAIT, () -> drain(BROKER.queen(), sink, seen) == 1, () -> "last error " + runner.lastError());
    }
    assertThat(seen).extracting(w -> w.path("value").asText()).containsExactly("after");
  }

  @Test
  void subscriptionModeNewSkipsWhatWasThereBeforeTheGroupSubscribed() {
    String source = name("src");
    String sink = name("out");
    String query = name("q");
    BROKER.queen().push(List.of(PushItem.of(source, "old-1"), PushItem.of(source, "old-2")));
    List<JsonNode> seen = new ArrayList<>();
    try (StreamRunner runner = Stream.from(BROKER.client(), source).to(sink).run(query, FAST.subscriptionMode("new"))) {
      Eventually.until(WAIT, () -> groupsOf(source).contains("streams." + query), () -> "the runner's first pop");
      BROKER.queen().push(PushItem.of(source, "new-1"));
      Eventually.until(WAIT, () -> drain(BROKER.queen(), sink, seen) == 1, () -> "last error " + runner.lastError());
    }
    assertThat(seen).extracting(w -> w.path("value").asText()).containsExactly("new-1");
  }

  @Test
  void anUnknownSubscriptionModeIsRefused() {
    assertThatThrownBy(() -> FAST.subscriptionMode("from_beginning")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FAST.consumerGroup("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onErrorHearsAFailedBatchAndTheRunnerGoesOn() {
    String source = name("src");
    String sink = name("out");
    BROKER.queen().configure(source, QueueOptions.builder().leaseTime(1).build());
    BROKER.queen().push(PushItem.of(source, "poison").partition("p"));
    String partitionId = StreamChecks.readBack(BROKER.queen(), source, 1).get(0).partitionId();
    List<StreamError> errors = new CopyOnWriteArrayList<>();
    AtomicBoolean failOnce = new AtomicBoolean(true);
    List<JsonNode> seen = new ArrayList<>();
    try (StreamRunner runner = Stream.from(BROKER.client(), source).map(v -> {
      if (failOnce.getAndSet(false)) {
        throw new IllegalStateException("a transient failure");
      }
      return v;
    }).to(sink).run(name("q"), FAST.onError(error -> {
      errors.add(error);
      throw new IllegalStateException("a hook's failure is ignored");
    }))) {
      Eventually.until(WAIT, () -> drain(BROKER.queen(), sink, seen) == 1, () -> "errors " + errors);
      assertThat(runner.lastError()).isEqualTo("a transient failure");
    }
    assertThat(errors).hasSize(1);
    StreamError error = errors.get(0);
    assertThat(List.of(error.phase(), error.partitionId(), error.message()))
        .containsExactly("cycle", partitionId, "a transient failure");
    assertThat(error.cause()).isInstanceOf(IllegalStateException.class);
  }

  private static List<String> groupsOf(String queue) {
    List<String> groups = new ArrayList<>();
    for (JsonNode group : BROKER.queen().call("GET", "/api/v1/consumer-groups", null)) {
      if (queue.equals(group.path("queueName").asText())) {
        groups.add(group.path("name").asText());
      }
    }
    return groups;
  }
}
