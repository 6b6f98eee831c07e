package dev.queenj.core.push;

import dev.queenj.core.stats.ThroughputCounters;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What happened to one pushed item: stored now at {@code offset} of its Kafka partition, or a duplicate of the stored
 * message {@code messageId} ({@code offset} null).
 */
public record PushOutcome(
    String transactionId, boolean duplicate, UUID messageId, UUID partitionId, UUID traceId, String queue,
    Long offset) {

  /**
   * Counts the messages an append stored (not the duplicates it skipped) as pushed, one counter update per queue
   * written, not per message: call it once the append committed.
   */
  public static void countStored(Collection<PushOutcome> outcomes, ThroughputCounters counters) {
    if (outcomes.isEmpty()) {
      return;
    }
    Map<String, Long> stored = new HashMap<>();
    for (PushOutcome outcome : outcomes) {
      if (!outcome.duplicate()) {
        stored.merge(outcome.queue(), 1L, Long::sum);
      }
    }
    stored.forEach(counters::pushed);
  }
}
