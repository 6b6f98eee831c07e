package dev.queenj.core.stats;

import dev.queenj.core.group.GroupProtocol;
import dev.queenj.core.group.KafkaPartitionLag;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far one consumer group is behind on one queue, over the partitions it has a cursor on (a Kafka group: the Kafka
 * partitions it committed offsets on).
 *
 * @param maxTimeLagSeconds age of the oldest message the group has not consumed yet (0 when caught up)
 * @param offsetLag for a Kafka group the records behind over its partitions (log end less committed offset); null
 *     for a Queen group, whose lag read counts lagging partitions, not messages
 */
public record GroupLag(String consumerGroup, String queue, long partitions, long partitionsWithLag,
    long leasesActive, long totalConsumed, OffsetDateTime lastConsumedAt, long maxTimeLagSeconds,
    GroupProtocol protocol, Long offsetLag) {

  /**
   * Kafka groups' per-partition lag summed per group and queue ({@code queue} null = every queue): the committed
   * offsets stand for the records consumed, the last commit for the last consumption; no partition leases.
   */
  static List<GroupLag> ofKafka(List<KafkaPartitionLag> lags, String queue) {
    Map<List<String>, GroupLag> byGroupAndQueue = new LinkedHashMap<>();
    for (KafkaPartitionLag k : lags) {
      if (queue != null && !queue.equals(k.queue())) {
        continue;
      }
      GroupLag one = new GroupLag(k.groupId(), k.queue(), 1, k.offsetLag() > 0 ? 1 : 0, 0, k.committedOffset(),
          k.committedAt(), k.timeLagSeconds(), GroupProtocol.KAFKA, k.offsetLag());
      byGroupAndQueue.merge(List.of(k.groupId(), k.queue()), one, GroupLag::plus);
    }
    return new ArrayList<>(byGroupAndQueue.values());
  }

  private GroupLag plus(GroupLag o) {
    OffsetDateTime last = lastConsumedAt == null || (o.lastConsumedAt != null && o.lastConsumedAt.isAfter(
        lastConsumedAt)) ? o.lastConsumedAt : lastConsumedAt;
    return new GroupLag(consumerGroup, queue, partitions + o.partitions, partitionsWithLag + o.partitionsWithLag,
        leasesActive + o.leasesActive, totalConsumed + o.totalConsumed, last,
        Math.max(maxTimeLagSeconds, o.maxTimeLagSeconds), protocol,
        offsetLag == null || o.offsetLag == null ? null : offsetLag + o.offsetLag);
  }
}
