package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.queue.PartitionPlacement;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Wildcard pops find their partitions through what each group discovered of the logs, not by walking every partition
 * of the queue: new partitions and new messages must be found however they arrive.
 */
@ExtendWith(RunningServer.class)
class WildcardDiscoveryTest {
  private final Api api;

  WildcardDiscoveryTest(Api api) {
    this.api = api;
  }

  @Test
  void aPartitionCreatedAfterTheGroupsLastPopIsFound() {
    api.push("disc-new", "a", "a1");
    assertThat(api.consumeAll("disc-new", "g")).containsExactly("a1");
    assertThat(api.consumeAll("disc-new", "__QUEUE_MODE__")).containsExactly("a1");

    api.push("disc-new", "b", "b1");
    api.push("disc-new", "a", "a2");

    for (String group : new String[] {"g", "__QUEUE_MODE__"}) {
      assertThat(Api.ids(api.pop("disc-new", "batch=10&partitions=10&consumerGroup=" + group)))
          .containsExactlyInAnyOrder("b1", "a2");
    }
  }

  @Test
  void aPopLooksPastMoreNewMessagesThanOneDiscoveryReadsWhenTheyAreAllLeased() {
    // given two partitions in one log, the first holding more messages than a discovery reads, leased by a consumer
    String busy = "busy";
    int log = PartitionPlacement.kafkaPartition(busy, 8);
    String quiet = IntStream.iterate(0, i -> i + 1).mapToObj(i -> "quiet" + i)
        .filter(name -> PartitionPlacement.kafkaPartition(name, 8) == log).findFirst().orElseThrow();
    String[] many = IntStream.range(0, 2_500).mapToObj(i -> "m" + i).toArray(String[]::new);
    api.push("disc-deep", busy, many);
    api.push("disc-deep", quiet, "q1");
    assertThat(Api.ids(api.popPartition("disc-deep", busy, "batch=1"))).containsExactly("m0");

    // when another consumer pops the queue
    JsonNode pop = api.pop("disc-deep", "batch=10");

    // then it reads past the leased partition's messages and gets the other partition at once
    assertThat(Api.ids(pop)).containsExactly("q1");
  }
}
