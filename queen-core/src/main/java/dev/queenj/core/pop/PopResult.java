package dev.queenj.core.pop;

import java.util.List;
import java.util.UUID;

/** The closed set of pop answers (spec §3.3). */
public sealed interface PopResult {

  /**
   * Partitions were claimed. {@code messages} may be empty (caught up, delayed, first pop of a new subscription),
   * in which case nothing stays leased. {@code leaseId} is empty for autoAck pops.
   */
  record Claimed(String queue, String consumerGroup, String partition, UUID partitionId, String leaseId,
      int partitionsClaimed, List<PoppedMessage> messages) implements PopResult {}

  /** The named partition is inside its window buffer: nothing claimed. */
  record WindowBufferActive(String queue, String consumerGroup, String partition, UUID partitionId)
      implements PopResult {}

  /** Nothing could be claimed, for {@code reason}. */
  record Unavailable(Reason reason) implements PopResult {}

  enum Reason {
    NO_AVAILABLE_PARTITION("no_available_partition"),
    LEASE_HELD("lease_held"),
    PARTITION_NOT_FOUND("partition_not_found");

    private final String wireName;

    Reason(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** Whether a long-poll should keep waiting after this answer. */
  default boolean delivered() {
    return this instanceof Claimed claimed && !claimed.messages().isEmpty();
  }
}
