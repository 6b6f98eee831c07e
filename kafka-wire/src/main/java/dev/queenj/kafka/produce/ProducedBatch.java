package dev.queenj.kafka.produce;

import dev.queenj.core.push.ProducerBatch;
import dev.queenj.core.push.PushItem;
import java.util.List;

/**
 * One validated record batch of a Produce request, decompressed into the items to append, with the idempotence
 * fields of its header ({@code producerId} -1 when the producer is not idempotent) and whether it belongs to a
 * transaction.
 */
record ProducedBatch(long producerId, short producerEpoch, int firstSequence, int lastSequence, boolean transactional,
    List<PushItem> items) {

  /** Idempotent and not transactional: appended at once, in sequence. */
  boolean idempotent() {
    return producerId >= 0 && !transactional;
  }

  /** The batch's idempotence header, which transactional batches carry too. */
  ProducerBatch header() {
    return new ProducerBatch(producerId, producerEpoch, firstSequence, lastSequence);
  }
}
