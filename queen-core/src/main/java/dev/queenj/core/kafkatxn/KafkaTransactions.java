package dev.queenj.core.kafkatxn;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.error.StaleEpochException;
import dev.queenj.core.error.TransactionRefusedException;
import dev.queenj.core.error.TransactionRefusedException.Reason;
import dev.queenj.core.group.OffsetColumns;
import dev.queenj.core.group.OffsetCommit;
import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.push.AppendRetry;
import dev.queenj.core.push.MessageAppender;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.push.PushOutcome;
import dev.queenj.core.push.PushService;
import dev.queenj.core.push.QueueChangedException;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.stats.ThroughputCounters;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The transaction coordinator's storage: every request of a transactional producer (InitProducerId, adding partitions
 * and groups, staged records and offsets, the end) as one Postgres transaction under the transactional id's row lock,
 * answered after it committed. A commit appends every staged record through the core's one in-transaction append and
 * stores the staged offsets in the same Postgres transaction: all of the Kafka transaction becomes visible at once, or
 * none of it.
 */
public final class KafkaTransactions {
  /** Kafka allocates a new producer id rather than reach the last epoch. */
  static final short LAST_EPOCH = Short.MAX_VALUE - 1;

  private static final String CREATE = load("transaction_create.sql");
  private static final String LOCK = load("transaction_lock.sql");
  private static final String ALLOCATE = load("producer_id_allocate.sql");
  private static final String REINIT = load("transaction_reinit.sql");
  private static final String BEGIN = load("transaction_begin.sql");
  private static final String COMPLETE = load("transaction_complete.sql");
  private static final String PARTITIONS_ADD = load("txn_partitions_add.sql");
  private static final String GROUPS_ADD = load("txn_groups_add.sql");
  private static final String GROUP_SELECT = load("txn_group_select.sql");
  private static final String OFFSETS_STAGE = load("txn_offsets_stage.sql");
  private static final String OFFSETS_COMMIT = load("txn_offsets_commit.sql");
  private static final String RECORDS_SELECT = load("txn_records_select.sql");
  private static final String OFFSETS_PENDING = load("txn_offsets_pending.sql");
  private static final String QUEUES_SELECT = load("txn_queues_select.sql");

  private final Database database;
  private final MessageAppender appender;
  private final QueueCatalog queues;
  private final AppendSignal signal;
  private final ThroughputCounters counters;
  private final RecordStaging staging;
  private final SerialKeys serial = new SerialKeys();

  /**
   * {@code cipher} seals the staged values of queues with encryption enabled (and opens them on commit); {@code
   * counters} count a transaction's records as pushed when it commits, never when they are produced (staged).
   */
  public KafkaTransactions(Database database, MessageAppender appender, QueueCatalog queues, AppendSignal signal,
      PayloadCipher cipher, ThroughputCounters counters) {
    this.database = database;
    this.appender = appender;
    this.queues = queues;
    this.signal = signal;
    this.counters = counters;
    this.staging = new RecordStaging(cipher);
  }

  private static String load(String name) {
    return Sql.load(KafkaTransactions.class, name);
  }

  /**
   * InitProducerId without a transactional id (an idempotent producer): a producer id never handed out before, at
   * epoch 0. Ids come from Postgres, so they stay unique across restarts and instances.
   */
  public Future<ProducerIdentity> initIdempotent() {
    return database.pool().preparedQuery(ALLOCATE).execute()
        .map(rows -> new ProducerIdentity(rows.iterator().next().getLong(0), (short) 0));
  }

  /**
   * InitProducerId with a transactional id: a new id gets a new producer id at epoch 0; a known one has its open
   * transaction aborted and its epoch bumped, which fences every older producer of the id (a new producer id once
   * the epoch is exhausted). {@code expected} is the producer's own id and epoch when it asks for a bump itself
   * (KIP-360), null otherwise; it must be the id's current one.
   */
  public Future<ProducerIdentity> init(String transactionalId, int timeoutMs, ProducerIdentity expected) {
    return serial.run(transactionalId, () -> database.inTransaction(tx ->
        tx.preparedQuery(CREATE).execute(Tuple.of(transactionalId, timeoutMs)).compose(created -> {
          if (created.size() > 0) {
            Row row = created.iterator().next();
            return Future.succeededFuture(new ProducerIdentity(row.getLong("producer_id"),
                row.getShort("producer_epoch")));
          }
          return locked(tx, transactionalId).compose(row -> {
            if (expected != null) {
              row.requireProducer(expected.producerId(), expected.epoch());
            }
            Future<Void> aborted = row.state() == TxnState.ONGOING
                ? complete(tx, transactionalId, TxnState.COMPLETE_ABORT, row.epoch()) : Future.succeededFuture();
            Future<ProducerIdentity> next = row.epoch() >= LAST_EPOCH
                ? tx.preparedQuery(ALLOCATE).execute()
                    .map(rows -> new ProducerIdentity(rows.iterator().next().getLong(0), (short) 0))
                : Future.succeededFuture(new ProducerIdentity(row.producerId(), (short) (row.epoch() + 1)));
            return aborted.compose(done -> next).compose(identity -> tx.preparedQuery(REINIT)
                .execute(Tuple.of(transactionalId, identity.producerId(), identity.epoch(), timeoutMs))
                .map(identity));
          });
        })));
  }

  /** AddPartitionsToTxn: the partitions may now receive the transaction's records; the transaction is open. */
  public Future<Void> addPartitions(String transactionalId, ProducerIdentity producer, List<TxnPartition> partitions) {
    int n = partitions.size();
    UUID[] queueIds = new UUID[n];
    Integer[] kafkaPartitions = new Integer[n];
    for (int i = 0; i < n; i++) {
      queueIds[i] = partitions.get(i).queueId();
      kafkaPartitions[i] = partitions.get(i).kafkaPartition();
    }
    Tuple params = Tuple.tuple().addValue(transactionalId).addValue(queueIds).addValue(kafkaPartitions);
    return asProducer(transactionalId, producer, (tx, row) -> tx.preparedQuery(PARTITIONS_ADD).execute(params)
        .compose(added -> tx.preparedQuery(BEGIN).execute(Tuple.of(transactionalId))).mapEmpty());
  }

  /** AddOffsetsToTxn: the group may now commit offsets in the transaction; the transaction is open. */
  public Future<Void> addGroup(String transactionalId, ProducerIdentity producer, String groupId) {
    return asProducer(transactionalId, producer, (tx, row) -> tx.preparedQuery(GROUPS_ADD)
        .execute(Tuple.of(transactionalId, groupId))
        .compose(added -> tx.preparedQuery(BEGIN).execute(Tuple.of(transactionalId))).mapEmpty());
  }

  /**
   * TxnOffsetCommit: stages a group's offsets, stored as its committed offsets only if the transaction commits. The
   * group must have been added to the open transaction (INVALID_STATE otherwise).
   */
  public Future<Void> stageOffsets(String transactionalId, ProducerIdentity producer, String groupId,
      List<OffsetCommit> offsets) {
    Tuple params = OffsetColumns.addTo(Tuple.of(transactionalId, groupId), offsets);
    return asProducer(transactionalId, producer, (tx, row) -> tx.preparedQuery(GROUP_SELECT)
        .execute(Tuple.of(transactionalId, groupId)).compose(found -> {
          if (row.state() != TxnState.ONGOING || found.size() == 0) {
            return Future.failedFuture(new TransactionRefusedException(Reason.INVALID_STATE, "group " + groupId
                + " was not added to the transaction of " + transactionalId + " (AddOffsetsToTxn first)"));
          }
          return offsets.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(OFFSETS_STAGE).execute(params).mapEmpty();
        }));
  }

  /**
   * Stages a transactional Produce request's batches: each one continues its producer's sequence in its log (a retry
   * of a staged batch is accepted again and staged once), into a partition added to the open transaction. Answers one
   * entry per batch: null when staged (or a retry), else why it was refused; fails whole when the producer is not the
   * transactional id's current one (a stale epoch: {@link StaleEpochException}, as Kafka answers Produce).
   */
  public Future<List<RuntimeException>> stage(String transactionalId, ProducerIdentity producer,
      List<StagedBatch> batches) {
    return serial.run(transactionalId, () -> database.inTransaction(tx -> locked(tx, transactionalId)
        .compose(row -> {
          if (row.producerId() == producer.producerId() && row.epoch() != producer.epoch()) {
            return Future.failedFuture(new StaleEpochException("producer " + producer.producerId() + " epoch "
                + producer.epoch() + " is not transactional id " + transactionalId + "'s epoch " + row.epoch()));
          }
          row.requireProducer(producer.producerId(), producer.epoch());
          return staging.stage(tx, row, batches);
        })));
  }

  /**
   * EndTxn: commits (appends every staged record and stores the staged offsets) or aborts (forgets them), then wakes
   * the readers of what was appended. A retried end that already happened answers success; the other end of a
   * completed transaction, or an end without a transaction, is INVALID_STATE.
   */
  public Future<Void> end(String transactionalId, ProducerIdentity producer, boolean commit) {
    // the queues are resolved before the Postgres transaction opens: it must not wait for a second connection
    Supplier<Future<Map<String, Queue>>> resolve = () -> commit ? stagedQueues(transactionalId)
        : Future.succeededFuture(Map.of());
    return serial.run(transactionalId, () -> AppendRetry.once(queues, () -> resolve.get()
        .compose(resolved -> database.inTransaction(tx -> locked(tx, transactionalId)
            .compose(row -> end(tx, row, producer, commit, resolved))))))
        // committed: counting and waking the readers cannot fail the commit
        .onSuccess(committed -> {
          PushOutcome.countStored(committed.appended(), counters);
          committed.movedPast().forEach(counters::acked);
          Set<String> written = new LinkedHashSet<>();
          committed.appended().forEach(outcome -> written.add(outcome.queue()));
          signal.appended(written);
        })
        .mapEmpty();
  }

  /**
   * What an ended transaction did: the records it appended, and per queue the records its staged offsets moved their
   * groups past (both nothing for an abort or an end already done).
   */
  private record Ended(List<PushOutcome> appended, Map<String, Long> movedPast) {
    static final Ended NOTHING = new Ended(List.of(), Map.of());
  }

  /** Ends the locked transaction; answers what it appended and what its offsets moved past. */
  private Future<Ended> end(SqlConnection tx, TransactionRow row, ProducerIdentity producer, boolean commit,
      Map<String, Queue> resolved) {
    row.requireProducer(producer.producerId(), producer.epoch());
    TxnState ended = commit ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
    if (row.state() == ended) {
      return Future.succeededFuture(Ended.NOTHING);
    }
    if (row.state() != TxnState.ONGOING) {
      return Future.failedFuture(new TransactionRefusedException(Reason.INVALID_STATE, "cannot "
          + (commit ? "commit" : "abort") + ": the transaction of " + row.transactionalId() + " is "
          + row.state().kafkaName()));
    }
    Future<Ended> done = commit ? appendStaged(tx, row.transactionalId(), resolved)
        : Future.succeededFuture(Ended.NOTHING);
    return done.compose(what -> complete(tx, row.transactionalId(), ended, row.epoch()).map(what));
  }

  /**
   * The partitions for which these groups have offsets staged in open transactions: OffsetFetch with
   * {@code require_stable} answers them UNSTABLE_OFFSET_COMMIT, so a consumer taking over a partition waits for the
   * transaction to end instead of starting from an offset about to move (KIP-447).
   */
  public Future<Set<PendingOffset>> pendingOffsets(Collection<String> groupIds) {
    return database.pool().preparedQuery(OFFSETS_PENDING)
        .execute(Tuple.tuple().addValue(groupIds.toArray(new String[0]))).map(rows -> {
          Set<PendingOffset> pending = new HashSet<>();
          rows.forEach(row -> pending.add(new PendingOffset(row.getString("group_id"), row.getString("topic"),
              row.getInteger("kafka_partition"))));
          return pending;
        });
  }

  /** The queues a transaction's records are staged for, resolved (from the catalog's cache where known). */
  private Future<Map<String, Queue>> stagedQueues(String transactionalId) {
    return database.pool().preparedQuery(QUEUES_SELECT).execute(Tuple.of(transactionalId)).compose(rows -> {
      List<String> names = new ArrayList<>(rows.size());
      rows.forEach(row -> names.add(row.getString(0)));
      return appender.resolveQueues(names);
    });
  }

  /**
   * Appends the staged records (in produce order, in bounded statements) and stores the staged offsets, answering
   * both. A record of a
   * queue not {@code resolved} (one added since they were) fails the commit with {@link QueueChangedException}, which
   * resolves again and retries.
   */
  private Future<Ended> appendStaged(SqlConnection tx, String transactionalId, Map<String, Queue> resolved) {
    return tx.preparedQuery(RECORDS_SELECT).execute(Tuple.of(transactionalId)).compose(rows -> {
      List<PushItem> items = new ArrayList<>(rows.size());
      Set<String> written = new LinkedHashSet<>();
      rows.forEach(row -> {
        items.add(staging.item(row));
        written.add(row.getString("queue"));
      });
      if (!resolved.keySet().containsAll(written)) {
        return Future.failedFuture(new QueueChangedException(written));
      }
      List<PushOutcome> outcomes = new ArrayList<>(items.size());
      Future<Void> appended = Future.succeededFuture();
      for (int from = 0; from < items.size(); from += PushService.MAX_ITEMS_PER_TRANSACTION) {
        int to = Math.min(items.size(), from + PushService.MAX_ITEMS_PER_TRANSACTION);
        List<PushItem> chunk = items.subList(from, to);
        appended = appended.compose(done -> appender.append(tx, chunk, resolved).map(outcomes::addAll).mapEmpty());
      }
      return appended.compose(done -> tx.preparedQuery(OFFSETS_COMMIT).execute(Tuple.of(transactionalId)))
          .map(moved -> {
            Map<String, Long> movedPast = new HashMap<>();
            moved.forEach(r -> movedPast.put(r.getString("queue_name"), r.getLong("moved")));
            return new Ended(outcomes, movedPast);
          });
    });
  }

  private static Future<Void> complete(SqlConnection tx, String transactionalId, TxnState ended, short epoch) {
    return tx.preparedQuery(COMPLETE).execute(Tuple.of(transactionalId, ended.kafkaName(), epoch)).mapEmpty();
  }

  /** Work of the id's current producer, on the locked row, in one Postgres transaction, after earlier work of it. */
  private <T> Future<T> asProducer(String transactionalId, ProducerIdentity producer,
      BiFunction<SqlConnection, TransactionRow, Future<T>> work) {
    return serial.run(transactionalId, () -> database.inTransaction(tx -> locked(tx, transactionalId)
        .compose(row -> {
          row.requireProducer(producer.producerId(), producer.epoch());
          return work.apply(tx, row);
        })));
  }

  private static Future<TransactionRow> locked(SqlConnection tx, String transactionalId) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(transactionalId)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(TransactionRow.unknown(transactionalId))
        : Future.succeededFuture(TransactionRow.of(transactionalId, rows.iterator().next())));
  }
}
