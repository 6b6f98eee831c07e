package dev.queenj.core.resources;

import dev.queenj.core.queue.Queue;
import java.util.List;

/** A queue with the counts of each of its partitions. */
public record QueueStats(Queue queue, List<PartitionStats> partitions) {

  public MessageStats totals() {
    MessageStats sum = MessageStats.ZERO;
    for (PartitionStats partition : partitions) {
      sum = sum.plus(partition.stats());
    }
    return sum;
  }
}
