package dev.queenj.core.kafkatxn;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.error.TransactionRefusedException;
import dev.queenj.core.error.TransactionRefusedException.Reason;
import dev.queenj.core.push.KafkaOrigin;
import dev.queenj.core.push.ProducerState;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Stages a transactional producer's batches: decides each on Kafka's sequence rules ({@link ProducerState#decide},
 * the idempotent producer's rules: a transaction's sequences continue across its transactions, aborted ones
 * included), then writes the admitted records and the producer states they lead to. Runs inside the caller's
 * transaction, under the transactional id's row lock. The values of queues with encryption enabled are staged sealed
 * (the key's id beside them) and opened again when the commit appends them, which seals them anew.
 */
final class RecordStaging {
  private static final String PARTITIONS = Sql.load(RecordStaging.class, "txn_partitions_select.sql");
  private static final String STATES = Sql.load(ProducerState.class, "producer_state_select.sql");
  private static final String STATES_UPSERT = Sql.load(RecordStaging.class, "producer_states_upsert.sql");
  private static final String INSERT = Sql.load(RecordStaging.class, "txn_records_insert.sql");

  private final PayloadCipher cipher;

  RecordStaging(PayloadCipher cipher) {
    this.cipher = cipher;
  }

  Future<List<RuntimeException>> stage(SqlConnection tx, TransactionRow row, List<StagedBatch> batches) {
    if (row.state() != TxnState.ONGOING) {
      RuntimeException refused = new TransactionRefusedException(Reason.INVALID_STATE,
          "transactional id " + row.transactionalId() + " has no open transaction (AddPartitionsToTxn first)");
      return Future.succeededFuture(batches.stream().map(batch -> refused).collect(Collectors.toList()));
    }
    Set<TxnPartition> logs = new HashSet<>();
    batches.forEach(batch -> logs.add(new TxnPartition(batch.queue().id(), batch.kafkaPartition())));
    Long[] producers = new Long[logs.size()];
    Arrays.fill(producers, row.producerId());
    UUID[] queueIds = logs.stream().map(TxnPartition::queueId).toArray(UUID[]::new);
    Integer[] partitions = logs.stream().map(TxnPartition::kafkaPartition).toArray(Integer[]::new);
    Future<Set<TxnPartition>> added = tx.preparedQuery(PARTITIONS).execute(Tuple.of(row.transactionalId()))
        .map(rows -> {
          Set<TxnPartition> found = new HashSet<>();
          rows.forEach(r -> found.add(new TxnPartition(r.getUUID("queue_id"), r.getInteger("kafka_partition"))));
          return found;
        });
    Future<Map<TxnPartition, ProducerState>> states = tx.preparedQuery(STATES)
        .execute(Tuple.tuple().addValue(producers).addValue(queueIds).addValue(partitions)).map(rows -> {
          Map<TxnPartition, ProducerState> found = new HashMap<>();
          rows.forEach(r -> found.put(new TxnPartition(r.getUUID("queue_id"), r.getInteger("kafka_partition")),
              ProducerState.of(r)));
          return found;
        });
    return added.compose(inTxn -> states.compose(stored -> write(tx, row, batches, inTxn, stored)));
  }

  private Future<List<RuntimeException>> write(SqlConnection tx, TransactionRow row, List<StagedBatch> batches,
      Set<TxnPartition> inTransaction, Map<TxnPartition, ProducerState> stored) {
    List<RuntimeException> outcomes = new ArrayList<>(batches.size());
    Map<TxnPartition, ProducerState> next = new LinkedHashMap<>();
    List<StagedBatch> admitted = new ArrayList<>();
    for (StagedBatch batch : batches) {
      TxnPartition log = new TxnPartition(batch.queue().id(), batch.kafkaPartition());
      if (!inTransaction.contains(log)) {
        outcomes.add(new TransactionRefusedException(Reason.INVALID_STATE, "partition " + batch.kafkaPartition()
            + " of " + batch.queue().name() + " was not added to the transaction (AddPartitionsToTxn first)"));
        continue;
      }
      ProducerState.Decision decision = ProducerState.decide(next.containsKey(log) ? next.get(log)
          : stored.get(log), batch.header());
      if (decision instanceof ProducerState.Admit admit) {
        next.put(log, admit.next());
        admitted.add(batch);
        outcomes.add(null);
      } else if (decision instanceof ProducerState.Duplicate) {
        outcomes.add(null);
      } else {
        outcomes.add(((ProducerState.Refuse) decision).reason());
      }
    }
    if (admitted.isEmpty()) {
      return Future.succeededFuture(outcomes);
    }
    return tx.preparedQuery(INSERT).execute(records(row.transactionalId(), admitted))
        .compose(inserted -> tx.preparedQuery(STATES_UPSERT).execute(states(row.producerId(), next)))
        .map(outcomes);
  }

  private Tuple records(String transactionalId, List<StagedBatch> batches) {
    List<UUID> queueIds = new ArrayList<>();
    List<Integer> partitions = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Buffer> keys = new ArrayList<>();
    List<Buffer> values = new ArrayList<>();
    List<Buffer> headers = new ArrayList<>();
    List<Long> timestamps = new ArrayList<>();
    List<Integer> keyIds = new ArrayList<>();
    for (StagedBatch batch : batches) {
      boolean sealed = batch.queue().options().encryptionEnabled();
      for (PushItem item : batch.items()) {
        KafkaOrigin origin = item.kafka();
        queueIds.add(batch.queue().id());
        partitions.add(batch.kafkaPartition());
        names.add(item.partition());
        keys.add(buffer(origin.key()));
        boolean seal = sealed && item.payload() != null;
        values.add(buffer(seal ? cipher.seal(item.payload()) : item.payload()));
        keyIds.add(seal ? cipher.keyId() : null);
        headers.add(buffer(origin.headers()));
        timestamps.add(origin.timestamp());
      }
    }
    return Tuple.tuple().addValue(transactionalId).addValue(queueIds.toArray(new UUID[0]))
        .addValue(partitions.toArray(new Integer[0])).addValue(names.toArray(new String[0]))
        .addValue(keys.toArray(new Buffer[0])).addValue(values.toArray(new Buffer[0]))
        .addValue(headers.toArray(new Buffer[0])).addValue(timestamps.toArray(new Long[0]))
        .addValue(keyIds.toArray(new Integer[0]));
  }

  private static Tuple states(long producerId, Map<TxnPartition, ProducerState> next) {
    int n = next.size();
    Long[] producers = new Long[n];
    UUID[] queueIds = new UUID[n];
    Integer[] partitions = new Integer[n];
    Short[] epochs = new Short[n];
    Integer[] lasts = new Integer[n];
    String[] firstSeqs = new String[n];
    String[] lastSeqs = new String[n];
    int i = 0;
    for (Map.Entry<TxnPartition, ProducerState> entry : next.entrySet()) {
      ProducerState state = entry.getValue();
      producers[i] = producerId;
      queueIds[i] = entry.getKey().queueId();
      partitions[i] = entry.getKey().kafkaPartition();
      epochs[i] = state.epoch();
      lasts[i] = state.lastSequence();
      firstSeqs[i] = state.batches().stream().map(b -> String.valueOf(b.firstSequence()))
          .collect(Collectors.joining(",", "{", "}"));
      lastSeqs[i] = state.batches().stream().map(b -> String.valueOf(b.lastSequence()))
          .collect(Collectors.joining(",", "{", "}"));
      i++;
    }
    return Tuple.tuple().addValue(producers).addValue(queueIds).addValue(partitions).addValue(epochs)
        .addValue(lasts).addValue(firstSeqs).addValue(lastSeqs);
  }

  /** A staged record as the append takes it: the Kafka record it was, produced into its log. */
  PushItem item(Row row) {
    KafkaOrigin origin = new KafkaOrigin(row.getInteger("kafka_partition"), bytes(row, "record_key"),
        bytes(row, "record_headers"), row.getLong("record_timestamp"));
    return PushItem.kafka(row.getString("queue"), row.getString("partition_name"),
        cipher.open(row.getInteger("record_value_key_id"), bytes(row, "record_value")), origin);
  }

  private static byte[] bytes(Row row, String column) {
    Buffer buffer = row.getBuffer(column);
    return buffer == null ? null : buffer.getBytes();
  }

  private static Buffer buffer(byte[] bytes) {
    return bytes == null ? null : Buffer.buffer(bytes);
  }
}
