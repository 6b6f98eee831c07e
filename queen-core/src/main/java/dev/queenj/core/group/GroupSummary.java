package dev.queenj.core.group;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One consumer group on one queue.
 *
 * @param members partitions the group holds a cursor on (what Queen counts as members)
 * @param partitionsWithLag partitions with unconsumed messages for the group
 * @param totalLag unconsumed messages over all partitions of the queue
 * @param maxTimeLagSeconds age of the oldest unconsumed message
 * @param protocol whether the group pops through Queen or fetches through Kafka; a Kafka group's members are its live
 *     members as this instance's coordinator knows them (0 while another instance coordinates it) and its state
 *     Kafka's ({@link GroupState})
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
    OffsetDateTime subscriptionStart,
    GroupProtocol protocol) {

  /** Summarises per-partition lag into one entry per group, queue and protocol, in the order first seen. */
  public static List<GroupSummary> of(List<PartitionLag> lags) {
    List<GroupSummary> summaries = new ArrayList<>();
    byGroupAndQueue(lags, PartitionLag::consumerGroup, PartitionLag::queue, PartitionLag::protocol)
        .forEach(partitions -> summaries.add(summarise(partitions)));
    return summaries;
  }

  /**
   * Summarises Kafka groups' lag into one entry per group and queue, in the order first seen, with the state and
   * members of the groups this instance coordinates ({@code live}).
   */
  static List<GroupSummary> ofKafka(List<KafkaPartitionLag> lags, Map<String, LiveKafkaGroups.LiveKafkaGroup> live) {
    List<GroupSummary> summaries = new ArrayList<>();
    byGroupAndQueue(lags, KafkaPartitionLag::groupId, KafkaPartitionLag::queue, lag -> GroupProtocol.KAFKA)
        .forEach(partitions -> {
          GroupSummary s = summarise(partitions.stream().map(PartitionLag::of).toList());
          LiveKafkaGroups.LiveKafkaGroup here = live.get(s.name());
          boolean coordinated = partitions.stream().anyMatch(KafkaPartitionLag::coordinated);
          GroupState state = here != null ? GroupState.of(here.state())
              : coordinated ? GroupState.UNKNOWN : GroupState.EMPTY;
          summaries.add(new GroupSummary(s.name(), s.queue(), here == null ? 0 : here.members(),
              s.partitionsWithLag(), s.totalLag(), s.maxTimeLagSeconds(), state, null, null, GroupProtocol.KAFKA));
        });
    return summaries;
  }

  private static <T> Collection<List<T>> byGroupAndQueue(List<T> lags, Function<T, String> group,
      Function<T, String> queue, Function<T, GroupProtocol> protocol) {
    Map<List<Object>, List<T>> grouped = new LinkedHashMap<>();
    for (T lag : lags) {
      grouped.computeIfAbsent(List.of(group.apply(lag), queue.apply(lag), protocol.apply(lag)),
          key -> new ArrayList<>()).add(lag);
    }
    return grouped.values();
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
        first.subscriptionMode(), first.subscriptionStart(), first.protocol());
  }
}
