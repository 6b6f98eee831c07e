package dev.queenj.kafka.produce;

import dev.queenj.core.push.AppendGuard;
import dev.queenj.core.push.PushOutcome;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;

/**
 * Kafka's idempotent-producer rules for one batch, checked and recorded in the appending transaction while the
 * partition's head is locked, so two deliveries of one batch can never both be stored. Per (producer, queue, Kafka
 * partition) Postgres keeps the epoch, the last sequence and the last {@value #CACHED_BATCHES} stored batches:
 * <ul>
 *   <li>a batch equal to a cached one is a retry: nothing is stored and it is answered with its original offset;
 *   <li>an older epoch is fenced (INVALID_PRODUCER_EPOCH); a newer one must start again at sequence 0;
 *   <li>otherwise the batch must continue the sequence exactly (OUT_OF_ORDER_SEQUENCE_NUMBER), and a producer this
 *       partition has never seen must start at 0.
 * </ul>
 * One instance per batch. Concurrent batches of different producers or partitions are decided in one group-committed
 * transaction; a producer's batches for one partition never share one ({@link #scope}).
 */
final class ProducerSequences implements AppendGuard {
  /** Kafka's producer keeps at most five batches in flight per partition, so five cover every retry. */
  static final int CACHED_BATCHES = 5;
  private static final String SELECT = Sql.load(ProducerSequences.class, "producer_state_select.sql");
  private static final String UPSERT = Sql.load(ProducerSequences.class, "producer_state_upsert.sql");

  private final String queue;
  private final int kafkaPartition;
  private final ProducedBatch batch;
  private final List<Integer> firstSeqs = new ArrayList<>();
  private final List<Integer> lastSeqs = new ArrayList<>();
  private final List<Long> baseOffsets = new ArrayList<>();
  /** The original base offset when the batch turned out to be a retry. */
  private Long duplicateOf;

  ProducerSequences(String queue, int kafkaPartition, ProducedBatch batch) {
    this.queue = queue;
    this.kafkaPartition = kafkaPartition;
    this.batch = batch;
  }

  @Override
  public String scope() {
    return batch.producerId() + "/" + queue + "/" + kafkaPartition;
  }

  Long duplicateOf() {
    return duplicateOf;
  }

  @Override
  public Future<Boolean> admit(SqlConnection tx) {
    // admitted again when the append is retried after a rollback
    firstSeqs.clear();
    lastSeqs.clear();
    baseOffsets.clear();
    duplicateOf = null;
    return tx.preparedQuery(SELECT).execute(Tuple.of(batch.producerId(), queue, kafkaPartition)).compose(rows -> {
      if (rows.size() == 0) {
        return batch.firstSequence() == 0 ? Future.succeededFuture(true)
            : Future.failedFuture(new OutOfOrderSequenceException("producer " + batch.producerId()
                + " is new to this partition and must start at sequence 0, not " + batch.firstSequence()));
      }
      Row state = rows.iterator().next();
      short epoch = state.getShort("producer_epoch");
      if (batch.producerEpoch() < epoch) {
        return Future.failedFuture(new InvalidProducerEpochException("producer " + batch.producerId() + " epoch "
            + batch.producerEpoch() + " is older than " + epoch));
      }
      if (batch.producerEpoch() > epoch) {
        return batch.firstSequence() == 0 ? Future.succeededFuture(true)
            : Future.failedFuture(new OutOfOrderSequenceException("a new epoch must start at sequence 0"));
      }
      Integer[] firsts = state.getArrayOfIntegers("first_seqs");
      Integer[] lasts = state.getArrayOfIntegers("last_seqs");
      Long[] offsets = state.getArrayOfLongs("base_offsets");
      for (int i = 0; i < firsts.length; i++) {
        firstSeqs.add(firsts[i]);
        lastSeqs.add(lasts[i]);
        baseOffsets.add(offsets[i]);
        if (firsts[i] == batch.firstSequence() && lasts[i] == batch.lastSequence()) {
          duplicateOf = offsets[i];
        }
      }
      if (duplicateOf != null) {
        return Future.succeededFuture(false);
      }
      int lastSequence = state.getInteger("last_sequence");
      int expected = lastSequence == Integer.MAX_VALUE ? 0 : lastSequence + 1;
      if (batch.firstSequence() != expected) {
        return Future.failedFuture(new OutOfOrderSequenceException("producer " + batch.producerId()
            + " sent sequence " + batch.firstSequence() + ", expected " + expected));
      }
      return Future.succeededFuture(true);
    });
  }

  @Override
  public Future<Void> appended(SqlConnection tx, List<PushOutcome> outcomes) {
    firstSeqs.add(batch.firstSequence());
    lastSeqs.add(batch.lastSequence());
    baseOffsets.add(outcomes.get(0).offset());
    while (firstSeqs.size() > CACHED_BATCHES) {
      firstSeqs.remove(0);
      lastSeqs.remove(0);
      baseOffsets.remove(0);
    }
    Tuple params = Tuple.tuple().addValue(batch.producerId()).addValue(queue).addValue(kafkaPartition)
        .addValue(batch.producerEpoch()).addValue(batch.lastSequence())
        .addValue(firstSeqs.toArray(new Integer[0])).addValue(lastSeqs.toArray(new Integer[0]))
        .addValue(baseOffsets.toArray(new Long[0]));
    return tx.preparedQuery(UPSERT).execute(params).mapEmpty();
  }
}
