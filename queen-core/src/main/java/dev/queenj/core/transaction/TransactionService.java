package dev.queenj.core.transaction;

import dev.queenj.core.ack.AckItem;
import dev.queenj.core.ack.AckOutcome;
import dev.queenj.core.ack.AckWriter;
import dev.queenj.core.error.OperationRejectedException;
import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.push.AppendRetry;
import dev.queenj.core.push.MessageAppender;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.push.PushOutcome;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.stats.ThroughputCounters;
import dev.queenj.core.storage.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Acks and pushes in one Postgres transaction: all or nothing. Any refused operation (message not found, invalid
 * lease, duplicate transaction id) fails the future with {@link OperationRejectedException} and nothing is kept.
 * Runs outside group commit on purpose: its atomicity must not be shared with other clients' writes.
 */
public final class TransactionService {
  private final Database database;
  private final AckWriter acks;
  private final MessageAppender appender;
  private final AppendSignal signal;
  private final QueueCatalog queues;
  private final ThroughputCounters counters;

  /** {@code counters} count what a committed transaction pushed and acked. */
  public TransactionService(Database database, AckWriter acks, MessageAppender appender, AppendSignal signal,
      QueueCatalog queues, ThroughputCounters counters) {
    this.database = database;
    this.counters = counters;
    this.queues = queues;
    this.acks = acks;
    this.appender = appender;
    this.signal = signal;
  }

  public Future<TransactionResult> run(List<TransactionOperation> operations) {
    return AppendRetry.once(queues, () -> attempt(operations))
        .onSuccess(result -> signal.appended(pushedQueues(result)))
        .onSuccess(this::count);
  }

  /** Pushes, and acks completed or (failed and dlq alike, inside a transaction) dead-lettered; once per queue. */
  private void count(TransactionResult result) {
    Map<String, long[]> byQueue = new HashMap<>();
    for (TransactionResult.Step step : result.steps()) {
      if (step instanceof TransactionResult.PushStep push) {
        byQueue.computeIfAbsent(push.outcome().queue(), q -> new long[3])[0]++;
      } else if (step instanceof TransactionResult.AckStep ack) {
        byQueue.computeIfAbsent(ack.outcome().queueName(), q -> new long[3])[ack.outcome().dlq() ? 2 : 1]++;
      }
    }
    byQueue.forEach((queue, n) -> {
      counters.pushed(queue, n[0]);
      counters.acked(queue, n[1]);
      counters.deadLettered(queue, n[2]);
    });
  }

  private Future<TransactionResult> attempt(List<TransactionOperation> operations) {
    List<PushItem> allPushes = new ArrayList<>();
    for (TransactionOperation op : operations) {
      if (op instanceof TransactionOperation.Push push) {
        allPushes.addAll(push.items());
      }
    }
    return appender.resolveQueues(allPushes)
        .compose(resolved -> database.inTransaction(tx -> {
          List<TransactionResult.Step> steps = new ArrayList<>();
          Future<Void> chain = Future.succeededFuture();
          for (TransactionOperation op : operations) {
            chain = chain.compose(done -> op instanceof TransactionOperation.Ack ack
                ? ack(tx, ack.item(), steps)
                : push(tx, ((TransactionOperation.Push) op).items(), resolved, steps));
          }
          return chain.map(done -> new TransactionResult(List.copyOf(steps)));
        }));
  }

  private Future<Void> ack(SqlConnection tx, AckItem item, List<TransactionResult.Step> steps) {
    int index = steps.size();
    return acks.apply(tx, List.of(item), true).compose(outcomes -> {
      AckOutcome outcome = outcomes.get(0);
      if (!outcome.success()) {
        return Future.failedFuture(new OperationRejectedException(index, outcome.error()));
      }
      steps.add(new TransactionResult.AckStep(outcome));
      return Future.succeededFuture();
    });
  }

  private Future<Void> push(SqlConnection tx, List<PushItem> items, Map<String, Queue> resolved,
      List<TransactionResult.Step> steps) {
    int first = steps.size();
    return appender.append(tx, items, resolved).compose(outcomes -> {
      for (int i = 0; i < outcomes.size(); i++) {
        PushOutcome outcome = outcomes.get(i);
        if (outcome.duplicate()) {
          return Future.failedFuture(new OperationRejectedException(first + i,
              "Duplicate transactionId: " + outcome.transactionId()));
        }
        steps.add(new TransactionResult.PushStep(outcome));
      }
      return Future.succeededFuture();
    });
  }

  private static Set<String> pushedQueues(TransactionResult result) {
    Set<String> queues = new LinkedHashSet<>();
    for (TransactionResult.Step step : result.steps()) {
      if (step instanceof TransactionResult.PushStep push) {
        queues.add(push.outcome().queue());
      }
    }
    return queues;
  }
}
