package dev.queenj.kafka.admin;

import dev.queenj.kafka.metadata.SingleNode;
import java.util.List;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;

/** What a topic's shape may be here: one replica on this node, and a bounded number of partitions. */
final class TopicLimits {
  /** The same bound as QUEEN_KAFKA_DEFAULT_PARTITIONS: each partition is a high-watermark row locked by appends. */
  static final int MAX_PARTITIONS = 10_000;
  private static final short ONE_REPLICA = 1;
  /** Kafka's "use the broker's default" for partition counts and replication factors. */
  private static final int BROKER_DEFAULT = -1;

  private TopicLimits() {}

  static void checkReplicationFactor(short replicationFactor) {
    if (replicationFactor != ONE_REPLICA && replicationFactor != BROKER_DEFAULT) {
      throw new InvalidReplicationFactorException("Replication factor: " + replicationFactor
          + " larger than available brokers: 1.");
    }
  }

  static void checkPartitionCount(int partitions) {
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new InvalidPartitionsException("Number of partitions must be between 1 and " + MAX_PARTITIONS
          + ", got " + partitions + ".");
    }
  }

  /** The requested count, or {@code defaultPartitions} when the request leaves it to the broker. */
  static int partitionCount(int requested, int defaultPartitions) {
    int partitions = requested == BROKER_DEFAULT ? defaultPartitions : requested;
    checkPartitionCount(partitions);
    return partitions;
  }

  /** A manual assignment may only put the one replica of each partition on this node. */
  static void checkAssignment(List<Integer> brokerIds) {
    if (!brokerIds.equals(List.of(SingleNode.NODE_ID))) {
      throw new InvalidReplicaAssignmentException("Replica assignment " + brokerIds + " names brokers other than "
          + SingleNode.NODE_ID + " or more than one replica; this cluster is one broker.");
    }
  }
}
