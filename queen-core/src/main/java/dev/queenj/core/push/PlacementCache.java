package dev.queenj.core.push;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where Queen partitions live, for those an append has looked up. Most partitions live where their name hashes to
 * over their queue's current Kafka partition count, so an append guesses their log without a lookup; the exceptions
 * are partitions created before the queue grew. A wrong guess aborts the append, which looks the placements up,
 * remembers them here and runs again. A partition's log never changes while it exists (and a re-created queue has
 * new partition ids), so an entry never goes stale. Bounded: past {@link #MAX_ENTRIES} it starts over, which costs
 * one lookup per partition.
 */
final class PlacementCache {
  static final int MAX_ENTRIES = 100_000;

  private final ConcurrentHashMap<UUID, Integer> placed = new ConcurrentHashMap<>();

  /** The log {@code partitionId} is known to live in, or null when its hash places it. */
  Integer kafkaPartition(UUID partitionId) {
    return placed.get(partitionId);
  }

  void remember(UUID partitionId, int kafkaPartition) {
    if (placed.size() >= MAX_ENTRIES) {
      placed.clear();
    }
    placed.put(partitionId, kafkaPartition);
  }
}
