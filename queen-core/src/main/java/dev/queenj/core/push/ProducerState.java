package dev.queenj.core.push;

import dev.queenj.core.error.OutOfSequenceException;
import dev.queenj.core.error.QueenException;
import dev.queenj.core.error.StaleEpochException;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an idempotent producer stands in one log: its epoch, its last sequence and its last {@value #KEPT_BATCHES}
 * stored batches, oldest first, so that a retried batch is recognised and answered with its original offset. Decides
 * Kafka's rules for the next batch as plain logic; {@link ProducerStates} keeps states and the append statement
 * stores them. Transactional producers' batches are decided by the same rules when they are staged.
 *
 * @param epoch the producer's epoch in this log
 * @param lastSequence the last sequence stored
 * @param batches the last stored batches, oldest first; a batch's base offset is null while it is being appended
 */
public record ProducerState(short epoch, int lastSequence, List<Batch> batches) {
  /** Kafka's producer keeps at most five batches in flight per partition, so five cover every retry. */
  static final int KEPT_BATCHES = 5;

  /** A stored (or being stored) batch: its sequences and base offset. */
  public record Batch(int firstSequence, int lastSequence, Long baseOffset) {}

  /** What to do with a batch. */
  public sealed interface Decision {}

  /** Append it; the state afterwards is {@code next}. */
  public record Admit(ProducerState next) implements Decision {}

  /** It was stored already, as {@code original}: answer that one's offset, store nothing. */
  public record Duplicate(Batch original) implements Decision {}

  /** Refuse it, storing nothing. */
  public record Refuse(QueenException reason) implements Decision {}

  /** Kafka's rules for {@code batch} given {@code state} (null: the producer has never written this log). */
  public static Decision decide(ProducerState state, ProducerBatch batch) {
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

  /** A state as {@code producer_state_select.sql} (and its like) reads it. */
  public static ProducerState of(Row row) {
    Integer[] firsts = row.getArrayOfIntegers("first_seqs");
    Integer[] lasts = row.getArrayOfIntegers("last_seqs");
    Long[] offsets = row.getArrayOfLongs("base_offsets");
    List<Batch> batches = new ArrayList<>(firsts.length);
    for (int i = 0; i < firsts.length; i++) {
      batches.add(new Batch(firsts[i], lasts[i], offsets[i]));
    }
    return new ProducerState(row.getShort("producer_epoch"), row.getInteger("last_sequence"), List.copyOf(batches));
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
