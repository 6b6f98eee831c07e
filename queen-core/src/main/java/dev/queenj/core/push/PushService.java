package dev.queenj.core.push;

import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.GroupCommit;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pushes through group commit: concurrent requests share one transaction of two statements. A request is answered
 * only after that transaction committed; then waiting consumers of the touched queues are woken.
 */
public final class PushService {
  /** Large enough to amortise a commit, small enough to keep one statement's parameters modest. */
  public static final int MAX_ITEMS_PER_TRANSACTION = 10_000;
  /** Guarded batches per transaction: each guard costs statements of its own, pipelined. */
  public static final int MAX_GUARDED_PUSHES_PER_TRANSACTION = 64;

  private final Database database;
  private final MessageAppender appender;
  private final QueueCatalog queues;
  private final AppendSignal signal;
  private final GroupCommit<PushItem, PushOutcome> groupCommit;
  private final GroupCommit<GuardedPush, List<PushOutcome>> guardedCommit;

  public PushService(Database database, MessageAppender appender, QueueCatalog queues, AppendSignal signal) {
    this.database = database;
    this.appender = appender;
    this.queues = queues;
    this.signal = signal;
    this.groupCommit = new GroupCommit<>(this::write, MAX_ITEMS_PER_TRANSACTION);
    this.guardedCommit = new GroupCommit<>(this::writeGuarded, MAX_GUARDED_PUSHES_PER_TRANSACTION);
  }

  public Future<List<PushOutcome>> push(List<PushItem> items) {
    return groupCommit.submit(items);
  }

  /**
   * Appends {@code items} only if {@code guard} admits them, checked under the head locks; answers an empty list when
   * the guard declined. Concurrent guarded pushes are group-committed with each other (each guard keeps its own
   * statements, pipelined), and waiting consumers are woken as after any push.
   */
  public Future<List<PushOutcome>> push(List<PushItem> items, AppendGuard guard) {
    return guardedCommit.submit(List.of(new GuardedPush(items, guard))).map(outcomes -> outcomes.get(0));
  }

  private Future<List<List<PushOutcome>>> writeGuarded(List<GuardedPush> batches) {
    List<PushItem> all = new ArrayList<>();
    batches.forEach(batch -> all.addAll(batch.items()));
    return attemptGuarded(batches, all)
        .recover(failure -> {
          if (failure instanceof QueueVanishedException vanished) {
            vanished.queues().forEach(queues::forget);
            return attemptGuarded(batches, all);
          }
          if (failure instanceof PartitionPlacedConcurrentlyException) {
            return attemptGuarded(batches, all);
          }
          return Future.failedFuture(failure);
        })
        .onSuccess(outcomes -> {
          List<PushOutcome> flat = new ArrayList<>();
          outcomes.forEach(flat::addAll);
          signal.appended(queuesWithNewMessages(flat));
        });
  }

  private Future<List<List<PushOutcome>>> attemptGuarded(List<GuardedPush> batches, List<PushItem> all) {
    return appender.resolveQueues(all)
        .compose(resolved -> database.inTransaction(tx -> appender.appendGuarded(tx, batches, resolved)));
  }

  private Future<List<PushOutcome>> write(List<PushItem> items) {
    return attempt(items)
        .recover(failure -> {
          if (failure instanceof QueueVanishedException vanished) {
            vanished.queues().forEach(queues::forget);
            return attempt(items);
          }
          if (failure instanceof PartitionPlacedConcurrentlyException) {
            return attempt(items);
          }
          return Future.failedFuture(failure);
        })
        .onSuccess(outcomes -> signal.appended(queuesWithNewMessages(outcomes)));
  }

  private Future<List<PushOutcome>> attempt(List<PushItem> items) {
    return appender.resolveQueues(items)
        .compose(resolved -> database.inTransaction(tx -> appender.append(tx, items, resolved)));
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
