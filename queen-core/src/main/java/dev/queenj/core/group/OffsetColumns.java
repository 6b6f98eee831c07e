package dev.queenj.core.group;

import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * Offsets as the column arrays the {@code kafka_group_offsets} statements unnest (queue ids, Kafka partitions,
 * offsets, leader epochs, metadata), in that order: for a commit stored at once and for one staged in a Kafka
 * transaction alike.
 */
public final class OffsetColumns {
  private OffsetColumns() {}

  /** {@code params} with the five arrays of {@code offsets} added after what it holds. */
  public static Tuple addTo(Tuple params, List<OffsetCommit> offsets) {
    int n = offsets.size();
    UUID[] queues = new UUID[n];
    Integer[] partitions = new Integer[n];
    Long[] positions = new Long[n];
    Integer[] epochs = new Integer[n];
    String[] metadata = new String[n];
    for (int i = 0; i < n; i++) {
      OffsetCommit offset = offsets.get(i);
      queues[i] = offset.queueId();
      partitions[i] = offset.partition();
      positions[i] = offset.offset();
      epochs[i] = offset.leaderEpoch();
      metadata[i] = offset.metadata();
    }
    // addValue: Tuple.of with an array argument would spread it as varargs
    return params.addValue(queues).addValue(partitions).addValue(positions).addValue(epochs).addValue(metadata);
  }
}
