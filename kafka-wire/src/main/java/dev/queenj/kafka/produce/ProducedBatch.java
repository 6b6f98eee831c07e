package dev.queenj.kafka.produce;

import dev.queenj.core.push.PushItem;
import java.util.List;

/**
 * One validated record batch of a Produce request, decompressed into the items to append, with the idempotence
 * fields of its header ({@code producerId} -1 when the producer is not idempotent).
 */
record ProducedBatch(long producerId, short producerEpoch, int firstSequence, int lastSequence,
    List<PushItem> items) {

  boolean idempotent() {
    return producerId >= 0;
  }
}
