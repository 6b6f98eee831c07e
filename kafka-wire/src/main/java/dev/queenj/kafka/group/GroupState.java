package dev.queenj.kafka.group;

/**
 * Where a classic group is in its rebalance cycle (Kafka's classic group states; a deleted group is simply gone, so
 * there is no Dead state). The name is what DescribeGroups and ListGroups report.
 */
sealed interface GroupState {

  String kafkaName();

  /** No members. Such a group is forgotten; what remains of it is its committed offsets. */
  record Empty() implements GroupState {
    @Override
    public String kafkaName() {
      return "Empty";
    }
  }

  /**
   * Waiting for every member to (re)join until {@code deadline}. During the {@code initialDelay} of a group that was
   * empty, joiners extend the wait (up to {@code delayLimit}) so that consumers started together land in one
   * generation instead of one rebalance each.
   */
  record PreparingRebalance(long deadline, boolean initialDelay, long delayLimit) implements GroupState {
    @Override
    public String kafkaName() {
      return "PreparingRebalance";
    }
  }

  /** A generation is formed; waiting for the leader's assignments. */
  record CompletingRebalance() implements GroupState {
    @Override
    public String kafkaName() {
      return "CompletingRebalance";
    }
  }

  /** Every member has its assignment. */
  record Stable() implements GroupState {
    @Override
    public String kafkaName() {
      return "Stable";
    }
  }
}
