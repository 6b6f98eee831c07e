package dev.queenj.core.push;

import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.queue.PartitionPlacement;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.GroupCommit;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Pushes through group commit: concurrent requests share one statement (guarded ones one transaction). A request is
 * answered only after its append committed; then waiting consumers of the touched queues are woken.
 *
 * <p>Requests are spread over {@link #LANES} group commits by the log their first item appends to, so appends to
 * different logs are written in parallel (Postgres uses more than one core, and one slow write does not hold up the
 * rest) while appends to one log queue up in one lane, in order, without contending for its head lock.
 */
public final class PushService {
  /** Large enough to amortise a commit, small enough to keep one statement's parameters modest. */
  public static final int MAX_ITEMS_PER_TRANSACTION = 10_000;
  /** Guarded batches per transaction: each guard costs statements of its own, pipelined. */
  public static final int MAX_GUARDED_PUSHES_PER_TRANSACTION = 64;
  /** Appends written at once: enough to keep every core of a small Postgres busy, few enough to batch well. */
  public static final int LANES = 4;

  private final Database database;
  private final MessageAppender appender;
  private final QueueCatalog queues;
  private final AppendSignal signal;
  private final List<GroupCommit<PushItem, PushOutcome>> lanes;
  private final List<GroupCommit<GuardedPush, List<PushOutcome>>> guardedLanes;

  public PushService(Database database, MessageAppender appender, QueueCatalog queues, AppendSignal signal) {
    this.database = database;
    this.appender = appender;
    this.queues = queues;
    this.signal = signal;
    this.lanes = lanes(this::write, MAX_ITEMS_PER_TRANSACTION);
    this.guardedLanes = lanes(this::writeGuarded, MAX_GUARDED_PUSHES_PER_TRANSACTION);
  }

  private static <I, O> List<GroupCommit<I, O>> lanes(Function<List<I>, Future<List<O>>> writer, int maxItems) {
    List<GroupCommit<I, O>> lanes = new ArrayList<>(LANES);
    for (int i = 0; i < LANES; i++) {
      lanes.add(new GroupCommit<>(writer, maxItems));
    }
    return lanes;
  }

  public Future<List<PushOutcome>> push(List<PushItem> items) {
    if (items.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return lanes.get(laneOf(items.get(0))).submit(items);
  }

  /**
   * Appends {@code items} only if {@code guard} admits them, checked under the head locks; answers an empty list when
   * the guard declined. Concurrent guarded pushes are group-committed with each other (each guard keeps its own
   * statements, pipelined), and waiting consumers are woken as after any push.
   */
  public Future<List<PushOutcome>> push(List<PushItem> items, AppendGuard guard) {
    return guardedLanes.get(laneOf(items.get(0))).submit(List.of(new GuardedPush(items, guard)))
        .map(outcomes -> outcomes.get(0));
  }

  /**
   * The lane of the log an item most likely appends to (a Kafka record names it; a native item's is its partition's
   * hash over the cached count). A wrong guess costs nothing but a wait on that log's head lock.
   */
  private int laneOf(PushItem item) {
    Queue cached = queues.cached(item.queue());
    int log = item.kafka() != null ? item.kafka().kafkaPartition()
        : cached == null ? 0 : PartitionPlacement.kafkaPartition(item.partition(), cached.kafkaPartitions());
    return Math.floorMod(31 * item.queue().hashCode() + log, LANES);
  }

  private Future<List<List<PushOutcome>>> writeGuarded(List<GuardedPush> batches) {
    List<PushItem> all = new ArrayList<>();
    batches.forEach(batch -> all.addAll(batch.items()));
    return retried(() -> appender.resolveQueues(all)
        .compose(resolved -> database.inTransaction(tx -> appender.appendGuarded(tx, batches, resolved))))
        .onSuccess(outcomes -> {
          List<PushOutcome> flat = new ArrayList<>();
          outcomes.forEach(flat::addAll);
          signal.appended(queuesWithNewMessages(flat));
        });
  }

  private Future<List<PushOutcome>> write(List<PushItem> items) {
    return retried(() -> appender.resolveQueues(items)
        .compose(resolved -> appender.appendAndCommit(database.pool(), items, resolved)))
        .onSuccess(outcomes -> signal.appended(queuesWithNewMessages(outcomes)));
  }

  /** Runs {@code attempt} again once when the queues changed under it or a concurrent append conflicted with it. */
  private <T> Future<T> retried(Supplier<Future<T>> attempt) {
    return attempt.get().recover(failure -> {
      if (failure instanceof QueueChangedException changed) {
        changed.queues().forEach(queues::forget);
        return attempt.get();
      }
      if (failure instanceof AppendConflictException) {
        return attempt.get();
      }
      return Future.failedFuture(failure);
    });
  }

  static Set<String> queuesWithNewMessages(List<PushOutcome> outcomes) {
    Set<String> touched = new LinkedHashSet<>();
    for (PushOutcome outcome : outcomes) {
      if (!outcome.duplicate()) {
        touched.add(outcome.queue());
      }
    }
    return touched;
  }
}
