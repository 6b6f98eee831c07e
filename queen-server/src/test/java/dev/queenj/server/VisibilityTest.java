package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** When messages become poppable: delayed processing, window buffer, multi-partition pops with a global cap. */
@ExtendWith(RunningServer.class)
class VisibilityTest {
  private final TestServer server;
  private final Api api;

  VisibilityTest(TestServer server, Api api) {
    this.server = server;
    this.api = api;
  }

  @Test
  void delayedMessagesStayInvisibleUntilTheirDelayPassed() {
    api.configure("later", "{\"delayedProcessing\":1}");
    api.push("later", "p", "m1");
    JsonNode early = api.pop("later?batch=10");
    assertThat(early.get("messages")).isEmpty();

    JsonNode[] popped = new JsonNode[1];
    Api.eventually(Duration.ofSeconds(5), () -> {
      popped[0] = api.pop("later?batch=10");
      return popped[0].get("messages").size() > 0;
    });
    assertThat(Api.ids(popped[0])).containsExactly("m1");
  }

  @Test
  void aDelayedPartitionDoesNotHideAReadyOne() {
    api.configure("later", "{\"delayedProcessing\":1}");
    api.push("later", "ready", "r1");
    JsonNode[] popped = new JsonNode[1];
    Api.eventually(Duration.ofSeconds(5), () -> {
      popped[0] = api.pop("later?batch=10");
      return popped[0].get("messages").size() > 0;
    });
    api.push("later", "fresh", "f1");
    // "fresh" is newer than the delay, "ready" is not leased any more after its ack
    api.ackAll(popped[0], "completed");
    api.push("later", "ready", "r2");
    Api.eventually(Duration.ofSeconds(5), () -> {
      popped[0] = api.pop("later?batch=10");
      return popped[0].get("messages").size() > 0;
    });
    assertThat(Api.ids(popped[0])).containsAnyOf("f1", "r2");
  }

  @Test
  void aPartitionInsideItsWindowBufferIsNotEligibleUntilQuiet() {
    api.configure("burst", "{\"windowBuffer\":1}");
    api.push("burst", "p", "m1");
    api.push("burst", "p", "m2");
    assertThat(api.pop("burst?batch=10").get("error").asText()).isEqualTo("no_available_partition");
    JsonNode named = api.pop("burst/partition/p?batch=10");
    assertThat(named.get("windowBufferActive").asBoolean()).isTrue();
    assertThat(named.get("leaseId").asText()).isEmpty();

    JsonNode[] popped = new JsonNode[1];
    Api.eventually(Duration.ofSeconds(5), () -> {
      popped[0] = api.pop("burst?batch=10");
      return popped[0].get("messages").size() > 0;
    });
    assertThat(Api.ids(popped[0])).containsExactly("m1", "m2");
  }

  @Test
  void aMultiPartitionPopClaimsSeveralPartitionsUnderOneGlobalBatchCap() {
    pushTwoMessagesToEach("multi", 4);
    JsonNode popped = api.pop("multi?batch=5&partitions=3");
    assertThat(popped.get("messages")).hasSize(5);
    Set<String> partitions = new HashSet<>();
    String leaseId = popped.get("leaseId").asText();
    for (JsonNode m : popped.get("messages")) {
      partitions.add(m.get("partition").asText());
      assertThat(m.get("leaseId").asText()).isEqualTo(leaseId);
    }
    assertThat(partitions).hasSize(3);
    assertThat(popped.get("partitionsClaimed").asInt()).isEqualTo(3);

    // the fourth partition is still free; the three claimed ones are leased
    JsonNode rest = api.pop("multi?batch=10&partitions=4");
    assertThat(rest.get("messages")).hasSize(2);
    assertThat(rest.get("messages").get(0).get("partition").asText()).isNotIn(partitions);
  }

  @Test
  void claimedPartitionsBeyondTheBatchCapAreReleasedAtOnce() {
    pushTwoMessagesToEach("capped", 3);
    JsonNode first = api.pop("capped?batch=2&partitions=3");
    assertThat(first.get("messages")).hasSize(2);
    String leased = first.get("messages").get(0).get("partition").asText();
    assertThat(first.get("messages").get(1).get("partition").asText()).isEqualTo(leased);

    // the two partitions the cap left empty-handed are free again, the leased one is not
    JsonNode rest = api.pop("capped?batch=10&partitions=3");
    assertThat(rest.get("messages")).hasSize(4);
    for (JsonNode m : rest.get("messages")) {
      assertThat(m.get("partition").asText()).isNotEqualTo(leased);
    }
  }

  /** Partitions p0, p1, ... of {@code queue}, each holding two messages: pN-a, then pN-b. */
  private void pushTwoMessagesToEach(String queue, int partitions) {
    for (int p = 0; p < partitions; p++) {
      api.push(queue, "p" + p, "p" + p + "-a", "p" + p + "-b");
    }
  }
}
