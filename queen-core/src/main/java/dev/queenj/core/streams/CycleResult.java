package dev.queenj.core.streams;

import dev.queenj.core.push.PushOutcome;
import java.util.List;

/**
 * A committed cycle: the source partition's queue (null if unknown), the state ops processed, each sink push's
 * outcome (duplicates included) and the ack's result (null without an ack).
 */
public record CycleResult(String queueName, int stateOpsApplied, List<PushOutcome> pushes, AckResult ack) {

  /** {@code count} messages consumed (0 for a dead-lettered one). */
  public record AckResult(int count, boolean leaseReleased, boolean dlq) {}
}
