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
import java.util.function.Supplier;

/**
 * Pushes through group commit: concurrent requests share one statement (guarded ones one transaction). A request is
 * answered only after its append committed; then waiting consumers of the touched queues are woken.
 *
 * <p>The logs a request appends to are hashed onto {@link #LANES} group-commit lanes. Requests on different lanes
 * are written in parallel (Postgres uses more than one core, and one slow write does not hold up the rest); requests
 * that share a lane are merged, in order, so that two appends in flight never wait for each other's head locks. A
 * request writing many logs waits for all their lanes and takes them together.
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
  private final GroupCommit<PushItem, PushOutcome> plain;
  private final GroupCommit<GuardedPush, List<PushOutcome>> guarded;

  public PushService(Database database, MessageAppender appender, QueueCatalog queues, AppendSignal signal) {
    this.database = database;
    this.appender = appender;
    this.queues = queues;
    this.signal = signal;
    this.plain = new GroupCommit<>(this::write, MAX_ITEMS_PER_TRANSACTION);
    this.guarded = new GroupCommit<>(this::writeGuarded, MAX_GUARDED_PUSHES_PER_TRANSACTION);
  }

  public Future<List<PushOutcome>> push(List<PushItem> items) {
    return plain.submit(items, lanesOf(items));
  }

  /**
   * Appends {@code items} only if {@code guard} admits them, checked under the head locks; answers an empty list when
   * the guard declined. Concurrent guarded pushes are group-committed with each other (each guard keeps its own
   * statements, pipelined), and waiting consumers are woken as after any push.
   */
  public Future<List<PushOutcome>> push(List<PushItem> items, AppendGuard guard) {
    return guarded.submit(List.of(new GuardedPush(items, guard)), lanesOf(items))
        .map(outcomes -> outcomes.get(0));
  }

  /**
   * The lanes of the logs the items most likely append to: a Kafka record names its log; a native item's is its
   * partition's hash over the cached count. A wrong guess costs nothing but a wait on that log's head lock.
   */
  private long lanesOf(List<PushItem> items) {
    long lanes = 0;
    for (PushItem item : items) {
      int log;
      if (item.kafka() != null) {
        log = item.kafka().kafkaPartition();
      } else {
        Queue cached = queues.cached(item.queue());
        log = cached == null ? 0 : PartitionPlacement.kafkaPartition(item.partition(), cached.kafkaPartitions());
      }
      lanes |= 1L << Math.floorMod(31 * item.queue().hashCode() + log, LANES);
    }
    return lanes == 0 ? GroupCommit.ONLY_LANE : lanes;
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
