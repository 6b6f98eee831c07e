package dev.queenj.core.push;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.QueenCore;
import dev.queenj.core.error.OutOfSequenceException;
import dev.queenj.core.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Idempotent producers' batches against Postgres: stored once, in sequence, across group commits and instances. */
class SequencedPushTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(4);
  static QueenCore core;

  @BeforeAll
  static void start() {
    core = new QueenCore(db.database(), 8);
  }

  @BeforeEach
  void clean() {
    await(core.queues().create("t", 1, Map.of()));
  }

  /** A batch of producer 7 into Kafka partition 0 of "t": one record per sequence from first to last. */
  private static Future<Long> produce(QueenCore through, int first, int last) {
    List<PushItem> items = new ArrayList<>();
    for (int sequence = first; sequence <= last; sequence++) {
      byte[] value = ("r" + sequence).getBytes(StandardCharsets.UTF_8);
      items.add(PushItem.kafka("t", null, value, new KafkaOrigin(0, null, null, sequence)));
    }
    return through.push().push(items, new ProducerBatch(7, (short) 0, first, last));
  }

  private static long stored() {
    return await(db.database().pool().query("SELECT count(*) FROM messages").execute()).iterator().next().getLong(0);
  }

  @Test
  void batchesSubmittedTogetherAreStoredInOrderAndTheStateKeepsEachOnesOffset() {
    Future<Long> first = produce(core, 0, 1);
    Future<Long> second = produce(core, 2, 3);
    Future<Long> third = produce(core, 4, 5);
    Future<Long> retry = produce(core, 2, 3);

    assertThat(List.of(await(first), await(second), await(third), await(retry))).containsExactly(0L, 2L, 4L, 2L);
    assertThat(stored()).isEqualTo(6);
    Row state = await(db.database().pool().query("SELECT last_sequence, base_offsets FROM kafka_producer_state")
        .execute()).iterator().next();
    assertThat(state.getInteger("last_sequence")).isEqualTo(5);
    assertThat(state.getArrayOfLongs("base_offsets")).containsExactly(0L, 2L, 4L);
  }

  @Test
  void aGapIsRefusedAndStoresNothing() {
    await(produce(core, 0, 1));
    assertThatThrownBy(() -> await(produce(core, 5, 6))).isInstanceOf(OutOfSequenceException.class);
    assertThat(stored()).isEqualTo(2);
  }

  @Test
  void aStateCachedBeforeAnotherInstanceWroteIsReadAgainBeforeABatchIsRefused() {
    QueenCore other = new QueenCore(db.database(), 8);
    await(produce(core, 0, 1));
    await(produce(other, 2, 3));

    // this instance remembers last sequence 1; the log has 3
    assertThat(await(produce(core, 4, 5))).isEqualTo(4L);
    assertThat(stored()).isEqualTo(6);
  }

  @Test
  void aRetryThroughAnotherInstanceWithAStaleStateIsStoredOnceAndAnsweredWithTheOriginalOffset() {
    QueenCore other = new QueenCore(db.database(), 8);
    await(produce(core, 0, 1));
    // the other instance reads the state (last sequence 1) while answering a retry
    assertThat(await(produce(other, 0, 1))).isEqualTo(0L);
    await(produce(core, 2, 3));

    // its state is stale: it decides to store the batch, the log refuses the write, and it decides again
    assertThat(await(produce(other, 2, 3))).isEqualTo(2L);
    assertThat(stored()).isEqualTo(4);
  }
}
