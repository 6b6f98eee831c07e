package dev.queenj.core.push;

import dev.queenj.core.error.OutOfSequenceException;
import dev.queenj.core.error.QueenException;
import dev.queenj.core.error.StaleEpochException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an idempotent producer stands in one log: its epoch, its last sequence and its last {@value #KEPT_BATCHES}
 * stored batches, oldest first, so that a retried batch is recognised and answered with its original offset. Decides
 * Kafka's rules for the next batch as plain logic; {@link ProducerStates} keeps states and the append statement
 * stores them.
 *
 * @param epoch the producer's epoch in this log
 * @param lastSequence the last sequence stored
 * @param batches the last stored batches, oldest first; a batch's base offset is null while it is being appended
 */
record ProducerState(short epoch, int lastSequence, List<Batch> batches) {
  /** Kafka's producer keeps at most five batches in flight per partition, so five cover every retry. */
  static final int KEPT_BATCHES = 5;

  /** A stored (or being stored) batch: its sequences and base offset. */
  record Batch(int firstSequence, int lastSequence, Long baseOffset) {}

  /** What to do with a batch. */
  sealed interface Decision {}

  /** Append it; the state afterwards is {@code next}. */
  record Admit(ProducerState next) implements Decision {}

  /** It was stored already, as {@code original}: answer that one's offset, store nothing. */
  record Duplicate(Batch original) implements Decision {}

  /** Refuse it, storing nothing. */
  record Refuse(QueenException reason) implements Decision {}

  /** Kafka's rules for {@code batch} given {@code state} (null: the producer has never written this log). */
  static Decision decide(ProducerState state, ProducerBatch batch) {
    if (state == null) {
      return batch.firstSequence() == 0 ? admit(batch, List.of())
          : new Refuse(new OutOfSequenceException("producer " + batch.producerId()
              + " is new to this partition and must start at sequence 0, not " + batch.firstSequence()));
    }
    if (batch.epoch() < state.epoch) {
      return new Refuse(new StaleEpochException("producer " + batch.producerId() + " epoch " + batch.epoch()
          + " is older than " + state.epoch));
    }
    if (batch.epoch() > state.epoch) {
      return batch.firstSequence() == 0 ? admit(batch, List.of())
          : new Refuse(new OutOfSequenceException("a new epoch must start at sequence 0"));
    }
    for (Batch stored : state.batches) {
      if (stored.firstSequence() == batch.firstSequence() && stored.lastSequence() == batch.lastSequence()) {
        return new Duplicate(stored);
      }
    }
    int expected = state.lastSequence == Integer.MAX_VALUE ? 0 : state.lastSequence + 1;
    if (batch.firstSequence() != expected) {
      return new Refuse(new OutOfSequenceException("producer " + batch.producerId() + " sent sequence "
          + batch.firstSequence() + ", expected " + expected));
    }
    return admit(batch, state.batches);
  }

  private static Admit admit(ProducerBatch batch, List<Batch> earlier) {
    List<Batch> kept = new ArrayList<>(earlier);
    kept.add(new Batch(batch.firstSequence(), batch.lastSequence(), null));
    while (kept.size() > KEPT_BATCHES) {
      kept.remove(0);
    }
    return new Admit(new ProducerState(batch.epoch(), batch.lastSequence(), List.copyOf(kept)));
  }
}
