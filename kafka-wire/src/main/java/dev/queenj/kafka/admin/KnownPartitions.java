package dev.queenj.kafka.admin;

import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.Stages;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which of some topics exist and how many partitions each has, looked up in one statement: what the replica APIs
 * (ElectLeaders, partition reassignments) need to tell a partition of the single-replica cluster from an unknown one.
 */
record KnownPartitions(Map<String, Integer> partitionCounts) {

  static CompletionStage<KnownPartitions> of(QueueCatalog queues, Collection<String> topics) {
    if (topics.isEmpty()) {
      return CompletableFuture.completedFuture(new KnownPartitions(Map.of()));
    }
    return Stages.of(queues.named(topics)).thenApply(found -> {
      Map<String, Integer> counts = new HashMap<>();
      for (Queue queue : found) {
        counts.put(queue.name(), queue.kafkaPartitions());
      }
      return new KnownPartitions(counts);
    });
  }

  boolean contains(String topic, int partition) {
    Integer count = partitionCounts.get(topic);
    return count != null && partition >= 0 && partition < count;
  }
}
