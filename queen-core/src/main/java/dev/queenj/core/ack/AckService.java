package dev.queenj.core.ack;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.GroupCommit;
import io.vertx.core.Future;
import dev.queenj.core.stats.ThroughputCounters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Acknowledgements through group commit: concurrent acks share one transaction. */
public final class AckService {
  public static final int MAX_ITEMS_PER_TRANSACTION = 10_000;

  private final GroupCommit<AckItem, AckOutcome> groupCommit;
  private final ThroughputCounters counters;

  /** {@code counters} count the acks applied, once per request. */
  public AckService(Database database, AckWriter writer, ThroughputCounters counters) {
    this.counters = counters;
    this.groupCommit = new GroupCommit<>(
        items -> database.inTransaction(tx -> writer.apply(tx, items, false)), MAX_ITEMS_PER_TRANSACTION);
  }

  public Future<List<AckOutcome>> ack(List<AckItem> items) {
    return groupCommit.submit(items).onSuccess(outcomes -> count(items, outcomes));
  }

  /** Per queue: completed acks, failed acks (retried or not) and messages moved to the dead-letter queue. */
  private void count(List<AckItem> items, List<AckOutcome> outcomes) {
    Map<String, long[]> byQueue = new HashMap<>();
    for (int i = 0; i < outcomes.size(); i++) {
      AckOutcome outcome = outcomes.get(i);
      if (!outcome.success() || outcome.queueName() == null) {
        continue;
      }
      long[] n = byQueue.computeIfAbsent(outcome.queueName(), q -> new long[3]);
      AckStatus status = AckStatus.parse(items.get(i).status()).orElse(null);
      if (status == AckStatus.COMPLETED) {
        n[0]++;
      } else if (status == AckStatus.FAILED) {
        n[1]++;
      }
      if (outcome.dlq()) {
        n[2]++;
      }
    }
    byQueue.forEach((queue, n) -> {
      counters.acked(queue, n[0]);
      counters.failed(queue, n[1]);
      counters.deadLettered(queue, n[2]);
    });
  }
}
