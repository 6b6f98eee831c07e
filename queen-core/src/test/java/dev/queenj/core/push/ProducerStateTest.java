package dev.queenj.core.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.error.OutOfSequenceException;
import dev.queenj.core.error.StaleEpochException;
import dev.queenj.core.push.ProducerState.Admit;
import dev.queenj.core.push.ProducerState.Batch;
import dev.queenj.core.push.ProducerState.Duplicate;
import dev.queenj.core.push.ProducerState.Refuse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kafka's idempotent-producer rules as plain logic. */
class ProducerStateTest {
  private static ProducerBatch batch(int epoch, int first, int last) {
    return new ProducerBatch(7, (short) epoch, first, last);
  }

  private static ProducerState state(int epoch, int last, Batch... batches) {
    return new ProducerState((short) epoch, last, List.of(batches));
  }

  @Test
  void aNewProducerMustStartAtZero() {
    assertThat(ProducerState.decide(null, batch(0, 0, 4))).isInstanceOf(Admit.class);
    assertThat(ProducerState.decide(null, batch(0, 5, 9))).isInstanceOfSatisfying(Refuse.class,
        refuse -> assertThat(refuse.reason()).isInstanceOf(OutOfSequenceException.class));
  }

  @Test
  void aBatchContinuesTheSequenceAndTheLastFiveBatchesAreKept() {
    ProducerState state = null;
    for (int b = 0; b < 7; b++) {
      state = ((Admit) ProducerState.decide(state, batch(0, b * 10, b * 10 + 9))).next();
    }
    assertThat(state.lastSequence()).isEqualTo(69);
    assertThat(state.batches()).extracting(Batch::firstSequence).containsExactly(20, 30, 40, 50, 60);
    assertThat(ProducerState.decide(state, batch(0, 71, 80))).isInstanceOf(Refuse.class);
  }

  @Test
  void aRetryOfAKeptBatchIsADuplicateOfIt() {
    ProducerState state = state(0, 9, new Batch(0, 4, 100L), new Batch(5, 9, 105L));
    assertThat(ProducerState.decide(state, batch(0, 0, 4))).isEqualTo(new Duplicate(new Batch(0, 4, 100L)));
  }

  @Test
  void anOlderEpochIsFencedAndANewerOneStartsAtZero() {
    ProducerState state = state(3, 9, new Batch(0, 9, 0L));
    assertThat(ProducerState.decide(state, batch(2, 10, 19))).isInstanceOfSatisfying(Refuse.class,
        refuse -> assertThat(refuse.reason()).isInstanceOf(StaleEpochException.class));
    assertThat(ProducerState.decide(state, batch(4, 10, 19))).isInstanceOf(Refuse.class);
    assertThat(ProducerState.decide(state, batch(4, 0, 4))).isInstanceOfSatisfying(Admit.class,
        admit -> assertThat(admit.next().batches()).containsExactly(new Batch(0, 4, null)));
  }

  @Test
  void theSequenceWrapsAfterTheLargestInt() {
    ProducerState state = state(0, Integer.MAX_VALUE, new Batch(Integer.MAX_VALUE - 4, Integer.MAX_VALUE, 0L));
    assertThat(ProducerState.decide(state, batch(0, 0, 4))).isInstanceOf(Admit.class);
  }
}
