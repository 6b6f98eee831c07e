package dev.queenj.core.retention;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Kafka log compaction for topics whose {@code cleanup.policy} contains {@code compact}: what one compaction cycle
 * does, log by log. Offsets stay as they were and the log start does not move, so readers see gaps, which Fetch
 * and native pops already skip (see {@link RetentionService}).
 *
 * <p>Per log, two passes, each a series of statements reading at most {@link #STEP_BATCHES} batches of offsets
 * through the primary key and remembering where it got (V016's {@code log_compaction}, as Kafka's cleaner
 * checkpoint): the first deletes, for each record it reads, the older records of the same key (found through the
 * (partition id, offset) index, see {@code log_compact.sql}), leaving records younger than
 * {@code min.compaction.lag.ms} and what follows them for a later cycle; the second deletes the tombstones the first
 * has passed once they are older than {@code delete.retention.ms}, keeping the log's newest record. Each cycle
 * removes every superseded record it can, so {@code max.compaction.lag.ms} holds to within one
 * {@code COMPACTION_INTERVAL} and {@code min.cleanable.dirty.ratio} does not apply.
 */
final class LogCompaction {
  /** Batches of offsets one step reads: bounds what a statement reads, as the retention boundary lookup does. */
  static final int STEP_BATCHES = 10;
  private static final String LOGS = Sql.load(LogCompaction.class, "compacted_logs_select.sql");
  private static final String COMPACT = Sql.load(LogCompaction.class, "log_compact.sql");
  private static final String TOMBSTONES = Sql.load(LogCompaction.class, "tombstones_expire.sql");

  private final Database database;
  private final int offsetsPerStep;

  LogCompaction(Database database, int batchSize) {
    this.database = database;
    this.offsetsPerStep = batchSize * STEP_BATCHES;
  }

  /** Compacts every compacted log with work left, until done or {@code overBudget}; counts what it deleted. */
  Future<Void> run(BooleanSupplier overBudget, LongConsumer deleted) {
    return database.pool().preparedQuery(LOGS).execute().compose(rows -> {
      List<Row> logs = new ArrayList<>();
      rows.forEach(logs::add);
      return logs(logs, 0, overBudget, deleted);
    });
  }

  private Future<Void> logs(List<Row> logs, int i, BooleanSupplier overBudget, LongConsumer deleted) {
    if (i >= logs.size() || overBudget.getAsBoolean()) {
      return Future.succeededFuture();
    }
    Row log = logs.get(i);
    UUID queue = log.getUUID("queue_id");
    int partition = log.getInteger("kafka_partition");
    return steps(COMPACT, queue, partition, log.getLong("cleaned_to"), log.getLong("min_lag_ms"), overBudget, deleted)
        .compose(v -> steps(TOMBSTONES, queue, partition, log.getLong("tombstones_to"),
            log.getLong("delete_retention_ms"), overBudget, deleted))
        .compose(v -> logs(logs, i + 1, overBudget, deleted));
  }

  /**
   * Runs one pass's {@code step} statement from {@code from} until it reaches the end it can look at, stops where it
   * stood (a record within the lag, a tombstone not yet expired), or the budget is spent.
   */
  private Future<Void> steps(String step, UUID queue, int partition, long from, long ms, BooleanSupplier overBudget,
      LongConsumer deleted) {
    if (overBudget.getAsBoolean()) {
      return Future.succeededFuture();
    }
    return database.pool().preparedQuery(step).execute(Tuple.of(queue, partition, from, offsetsPerStep, ms))
        .compose(rows -> {
          Row row = rows.iterator().next();
          deleted.accept(row.getLong("deleted"));
          Long reached = row.getLong("reached");
          Long reachable = row.getLong("reachable");
          boolean more = reached != null && reachable != null && reached > from && reached < reachable;
          return more ? steps(step, queue, partition, reached, ms, overBudget, deleted) : Future.succeededFuture();
        });
  }
}
