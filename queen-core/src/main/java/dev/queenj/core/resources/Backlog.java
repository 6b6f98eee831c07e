package dev.queenj.core.resources;

import dev.queenj.core.group.PartitionLag;
import java.util.List;

/**
 * What is left to consume, as one shared read of the counts found it: every queue with its partitions' counts, and
 * every group's lag per partition (Queen's groups per partition of the queues they read, Kafka's per Kafka partition
 * they committed an offset on).
 */
public record Backlog(List<QueueStats> queues, List<PartitionLag> lags) {}
