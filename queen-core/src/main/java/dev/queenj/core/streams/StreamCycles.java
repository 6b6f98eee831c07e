package dev.queenj.core.streams;

import dev.queenj.core.ack.AckWriter;
import dev.queenj.core.error.OperationRejectedException;
import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.push.AppendRetry;
import dev.queenj.core.push.MessageAppender;
import dev.queenj.core.push.PushOutcome;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.stats.ThroughputCounters;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Commits a stream cycle in one Postgres transaction: under the (query, partition) lock the state ops, then the sink
 * pushes with native push semantics (queues created on demand, encryption, dedup answered as duplicates, UUIDv7 ids
 * in item order), then the source ack under the native ack's cursor-row lock. A refusal fails the future with
 * {@link OperationRejectedException} and nothing is kept; the lease then stays as it was. Long-polls on the sink
 * queues are woken after the commit.
 */
public final class StreamCycles {
  static final String UNKNOWN_QUERY = "Unknown query_id";
  static final String NOT_FOUND = "Message not found";
  static final String INVALID_LEASE = "Invalid or expired lease";
  private static final String BEGIN = Sql.load(StreamCycles.class, "cycle_begin.sql");
  private static final String UPSERT = Sql.load(StreamCycles.class, "state_upsert.sql");
  private static final String DELETE = Sql.load(StreamCycles.class, "state_delete.sql");
  private static final String CURSOR_LOCK = Sql.load(StreamCycles.class, "cursor_lock.sql");
  private static final String CURSOR_MOVE = Sql.load(StreamCycles.class, "cursor_move.sql");
  private static final String ACK_TARGET = Sql.load(AckWriter.class, "ack_target.sql");
  private static final String DEAD_LETTER = Sql.load(AckWriter.class, "dead_letter_insert.sql");

  private final Database database;
  private final MessageAppender appender;
  private final ThroughputCounters counters;
  private final AppendSignal signal;
  private final QueueCatalog queues;

  /** {@code counters} count a committed cycle's sink pushes and its ack, as a push and an ack would be. */
  public StreamCycles(Database database, MessageAppender appender, AppendSignal signal, QueueCatalog queues,
      ThroughputCounters counters) {
    this.database = database;
    this.counters = counters;
    this.appender = appender;
    this.signal = signal;
    this.queues = queues;
  }

  public Future<CycleResult> commit(CycleRequest request) {
    return AppendRetry.once(queues, () -> attempt(request)).onSuccess(result -> {
      count(result);
      Set<String> pushed = new LinkedHashSet<>();
      result.pushes().forEach(outcome -> pushed.add(outcome.queue()));
      if (!pushed.isEmpty()) {
        signal.appended(pushed);
      }
    });
  }

  private void count(CycleResult result) {
    PushOutcome.countStored(result.pushes(), counters);
    CycleResult.AckResult ack = result.ack();
    if (ack != null) {
      if (ack.dlq()) {
        counters.deadLettered(result.queueName(), 1);
      } else {
        counters.acked(result.queueName(), ack.count());
      }
    }
  }

  private Future<CycleResult> attempt(CycleRequest request) {
    Future<Map<String, Queue>> resolved = request.pushItems().isEmpty()
        ? Future.succeededFuture(Map.of()) : appender.resolveQueues(request.pushItems());
    return resolved.compose(queuesByName -> database.inTransaction(tx -> tx.preparedQuery(BEGIN)
        .execute(Tuple.of(request.queryId(), request.partitionId()))
        .compose(begun -> {
          if (begun.size() == 0) {
            return Future.failedFuture(new OperationRejectedException(-1, UNKNOWN_QUERY));
          }
          String queueName = begun.iterator().next().getString("queue_name");
          return applyState(tx, request)
              .compose(done -> push(tx, request, queuesByName))
              .compose(pushes -> ack(tx, request).map(ack ->
                  new CycleResult(queueName, request.stateOps().size(), pushes, ack)));
        })));
  }

  /** The last op of each key wins, so the ops collapse to one delete and one upsert statement. */
  private static Future<Void> applyState(SqlConnection tx, CycleRequest request) {
    Map<String, StateOp> last = new LinkedHashMap<>();
    request.stateOps().forEach(op -> {
      last.remove(op.key());
      last.put(op.key(), op);
    });
    List<String> deleted = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (StateOp op : last.values()) {
      if (op.isDelete()) {
        deleted.add(op.key());
      } else {
        keys.add(op.key());
        values.add(op.valueJson());
      }
    }
    Future<?> deletes = deleted.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(DELETE)
        .execute(Tuple.of(request.queryId(), request.partitionId(), deleted.toArray(String[]::new)));
    return deletes.compose(done -> keys.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(UPSERT)
        .execute(Tuple.of(request.queryId(), request.partitionId(), keys.toArray(String[]::new),
            values.toArray(String[]::new))))
        .mapEmpty();
  }

  private Future<List<PushOutcome>> push(SqlConnection tx, CycleRequest request, Map<String, Queue> resolved) {
    return request.pushItems().isEmpty() ? Future.succeededFuture(List.of())
        : appender.append(tx, request.pushItems(), resolved);
  }

  private static Future<CycleResult.AckResult> ack(SqlConnection tx, CycleRequest request) {
    CycleAck ack = request.ack();
    if (ack == null) {
      return Future.succeededFuture(null);
    }
    UUID partition = request.partitionId();
    return tx.preparedQuery(CURSOR_LOCK).execute(Tuple.of(partition, ack.consumerGroup()))
        .compose(locked -> tx.preparedQuery(ACK_TARGET).execute(Tuple.of(partition, ack.transactionId(),
            ack.consumerGroup())))
        .compose(targets -> {
          if (targets.size() == 0) {
            return Future.failedFuture(new OperationRejectedException(-1, NOT_FOUND));
          }
          Row target = targets.iterator().next();
          if (!leaseHeld(ack.leaseId(), target)) {
            return Future.failedFuture(new OperationRejectedException(-1, INVALID_LEASE));
          }
          Future<RowSet<Row>> deadLettered = ack.dlq() ? tx.preparedQuery(DEAD_LETTER).execute(
              AckWriter.deadLetter(target, partition, ack.transactionId(), ack.consumerGroup(), ack.error(), 0))
              : Future.succeededFuture();
          int count = ack.dlq() ? 0 : ack.count();
          boolean release = ack.dlq() || request.releaseLease();
          return deadLettered.compose(done -> tx.preparedQuery(CURSOR_MOVE).execute(Tuple.of(partition,
                  ack.consumerGroup(), target.getUUID("queue_id"), target.getLong("log_offset"), count, release)))
              .map(done -> new CycleResult.AckResult(count, release, ack.dlq()));
        });
  }

  /** An empty lease id is not checked (as in the native ack); another must be the live lease of the group. */
  private static boolean leaseHeld(String leaseId, Row target) {
    if (leaseId == null || leaseId.isEmpty()) {
      return true;
    }
    UUID held = target.getUUID("lease_id");
    return held != null && held.toString().equalsIgnoreCase(leaseId) && target.getBoolean("lease_live");
  }
}
