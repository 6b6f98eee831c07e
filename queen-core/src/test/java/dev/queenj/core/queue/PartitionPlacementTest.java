package dev.queenj.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class PartitionPlacementTest {

  @Test
  void placesEveryKeyWhereKafkasDefaultPartitionerWould() {
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      byte[] raw = new byte[random.nextInt(40)];
      random.nextBytes(raw);
      String key = i % 2 == 0 ? "user-" + random.nextInt() : new String(raw, StandardCharsets.UTF_8);
      int partitions = 1 + random.nextInt(64);
      int kafka = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
      assertThat(PartitionPlacement.kafkaPartition(key, partitions)).as("key %s over %d", key, partitions)
          .isEqualTo(kafka);
    }
  }

  @Test
  void partitionIdsAreStablePerQueueAndName() {
    UUID queue = UUID.randomUUID();
    assertThat(PartitionPlacement.partitionId(queue, "a")).isEqualTo(PartitionPlacement.partitionId(queue, "a"));
    assertThat(PartitionPlacement.partitionId(queue, "a")).isNotEqualTo(PartitionPlacement.partitionId(queue, "b"));
    assertThat(PartitionPlacement.partitionId(queue, "a"))
        .isNotEqualTo(PartitionPlacement.partitionId(UUID.randomUUID(), "a"));
  }

  @Test
  void partitionsOfAQueueShareTheFirstFourBytesOfTheirIdsAndOtherQueuesDoNot() {
    UUID queue = UUID.fromString("01a20a79-4147-7187-86bb-328f2b225424");
    UUID other = UUID.fromString("01a20a79-4147-7187-86bb-328f2b225425");
    long prefix = PartitionPlacement.partitionId(queue, "p0").getMostSignificantBits() >>> 32;
    for (int i = 1; i < 1_000; i++) {
      assertThat(PartitionPlacement.partitionId(queue, "p" + i).getMostSignificantBits() >>> 32).isEqualTo(prefix);
    }
    assertThat(PartitionPlacement.partitionId(other, "p0").getMostSignificantBits() >>> 32).isNotEqualTo(prefix);
  }

  @Test
  void namespaceAndTaskComeFromTheDotsOfTheName() {
    assertThat(Queue.namespaceOf("billing.invoice.v1")).isEqualTo("billing");
    assertThat(Queue.taskOf("billing.invoice.v1")).isEqualTo("invoice");
    assertThat(Queue.taskOf("billing.invoice")).isEqualTo("invoice");
    assertThat(Queue.namespaceOf("orders")).isEqualTo("orders");
    assertThat(Queue.taskOf("orders")).isEmpty();
  }
}
