package dev.queenj.core.group;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One consumer group on one queue.
 *
 * @param members partitions the group holds a cursor on (what Queen counts as members)
 * @param partitionsWithLag partitions with unconsumed messages for the group
 * @param totalLag unconsumed messages over all partitions of the queue
 * @param maxTimeLagSeconds age of the oldest unconsumed message
 */
public record GroupSummary(
    String name,
    String queue,
    int members,
    int partitionsWithLag,
    long totalLag,
    long maxTimeLagSeconds,
    GroupState state,
    String subscriptionMode,
    OffsetDateTime subscriptionStart) {

  /** Summarises per-partition lag into one entry per group and queue, in the order first seen. */
  public static List<GroupSummary> of(List<PartitionLag> lags) {
    Map<List<String>, List<PartitionLag>> byGroupAndQueue = new LinkedHashMap<>();
    for (PartitionLag lag : lags) {
      byGroupAndQueue.computeIfAbsent(List.of(lag.consumerGroup(), lag.queue()), key -> new ArrayList<>()).add(lag);
    }
    List<GroupSummary> summaries = new ArrayList<>(byGroupAndQueue.size());
    byGroupAndQueue.values().forEach(partitions -> summaries.add(summarise(partitions)));
    return summaries;
  }

  private static GroupSummary summarise(List<PartitionLag> partitions) {
    int members = 0;
    int withLag = 0;
    long totalLag = 0;
    long maxTimeLag = 0;
    boolean everConsumed = false;
    for (PartitionLag p : partitions) {
      members += p.hasState() ? 1 : 0;
      withLag += p.offsetLag() > 0 ? 1 : 0;
      totalLag += p.offsetLag();
      maxTimeLag = Math.max(maxTimeLag, p.timeLagSeconds());
      everConsumed |= p.lastConsumedAt() != null;
    }
    GroupState state = maxTimeLag > GroupState.LAGGING_AFTER_SECONDS ? GroupState.LAGGING
        : everConsumed ? GroupState.STABLE : GroupState.DEAD;
    PartitionLag first = partitions.get(0);
    return new GroupSummary(first.consumerGroup(), first.queue(), members, withLag, totalLag, maxTimeLag, state,
        first.subscriptionMode(), first.subscriptionStart());
  }
}
