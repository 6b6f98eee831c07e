package dev.queenj.core.group;

import io.vertx.core.Future;
import java.util.Map;

/**
 * A read-only view of the Kafka consumer groups this instance coordinates now. Kafka group membership lives in the
 * coordinator's memory (kafka-wire), which registers this view with {@link ConsumerGroupService} while it listens,
 * so that the operators' views show live members without the core depending on the Kafka protocol. Groups another
 * instance coordinates are not in it: that instance's memory is not readable from here.
 */
public interface LiveKafkaGroups {
  /** No Kafka listener on this instance: it coordinates no group. */
  LiveKafkaGroups NONE = new LiveKafkaGroups() {
    @Override
    public String instanceId() {
      return "";
    }

    @Override
    public Future<Map<String, LiveKafkaGroup>> coordinatedHere() {
      return Future.succeededFuture(Map.of());
    }
  };

  /** This instance's id, as it holds group leases ({@code queen_group_leases.owner}). */
  String instanceId();

  /**
   * Every group whose coordinator lease this instance holds, by id: its Kafka state and members (Empty without
   * members when the coordinator keeps nothing of it in memory).
   */
  Future<Map<String, LiveKafkaGroup>> coordinatedHere();

  /** A coordinated group: its Kafka state name (Empty, PreparingRebalance, CompletingRebalance, Stable) and members. */
  record LiveKafkaGroup(String state, int members) {}
}
