package dev.queenj.core.retention;

import dev.queenj.core.log.LogPosition;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background services that delete: <b>retention</b> (every {@code RETENTION_INTERVAL}) and <b>eviction</b>
 * (every {@code EVICTION_INTERVAL}). Nothing else in the broker deletes messages in bulk.
 *
 * <p>How a message goes: every rule that removes a prefix of a log (Queen's {@code retentionSeconds} and
 * {@code maxWaitTimeSeconds}, Kafka's {@code retention.ms} and {@code retention.bytes}, DeleteRecords) only moves
 * the log's start ({@code log_heads.log_start_offset}) forward in one short statement; from then on Kafka reads
 * treat everything below it as gone (ListOffsets earliest answers it, a Fetch below it OFFSET_OUT_OF_RANGE), and the
 * purge deletes those rows by primary key in batches of {@code RETENTION_BATCH_SIZE}, each statement its own
 * transaction. Queen's {@code completedRetentionSeconds} deletes inside logs instead (only what every group has
 * consumed, per partition), leaving gaps that readers skip; the log start then moves to the first remaining
 * message. So the log start always means: nothing below it is readable; at and above it offsets may have gaps, as in
 * a compacted Kafka log.
 *
 * <p>Retention also forgets Kafka producers as a Kafka broker does ({@code producer.id.expiration.ms},
 * {@code transactional.id.expiration.ms}): idle transactional ids with no transaction open, idle sequence states
 * (but not those of a kept transactional id's producer), then producer ids with neither; an append that finds its
 * producer's state gone decides its batch afresh.
 *
 * <p>A third service, <b>compaction</b> (every {@code COMPACTION_INTERVAL}), removes superseded records and expired
 * tombstones from the logs of compacted Kafka topics ({@link LogCompaction}); it leaves gaps as well and never moves a
 * log start.
 *
 * <p>One cycle at a time across instances: a cycle first takes its service's lease row (V012), and an instance
 * that finds it held skips the cycle. A cycle stops after {@link #CYCLE_BUDGET_MS} and leaves the rest to the next.
 * Tests call {@link #runRetention()}, {@link #runEviction()} and {@link #runCompaction()} directly.
 */
public final class RetentionService {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);
  static final String RETENTION = "retention";
  static final String EVICTION = "eviction";
  static final String COMPACTION = "compaction";
  /** How long a cycle works before leaving the rest to the next one; well inside the lease. */
  static final long CYCLE_BUDGET_MS = 120_000;
  static final int LEASE_SECONDS = 600;
  /**
   * Offsets one boundary lookup reads ahead per log, in batches: bounds that statement (100,000 rows per log by
   * default); a log further behind takes several lookups, each followed by a purge.
   */
  static final int SCAN_BATCHES = 100;
  /** Partitions whose consumed floor is computed per statement, for completedRetentionSeconds. */
  static final int FLOOR_PAGE = 1_000;
  /**
   * A cycle that deleted at least this many batches of messages vacuums the table before it ends. Measured
   * (bench/RESULTS.md, retention layout): with autovacuum alone, at its defaults, appends of 5,000 rows/s with 60 s
   * kept levelled off at 385-442 MB of table and indexes with up to 335,000 dead rows, and each purge of ~60,000 rows
   * took 2.4-3.5 s, walking the dead index entries of the purges before it; vacuumed after every purge (0.15-0.3 s
   * each), the same load levelled off at 228 MB and the purges took 0.66-0.87 s.
   */
  static final int VACUUM_AFTER_BATCHES = 10;
  /**
   * SKIP_LOCKED: when autovacuum is on the table right now it does the same work, so the cycle does not wait for it.
   * Without table ownership Postgres skips it with a warning; the server's user owns its tables.
   */
  private static final String VACUUM = "VACUUM (SKIP_LOCKED) messages";

  private static final String LEASE_ACQUIRE = load("service_lease_acquire.sql");
  private static final String LEASE_RELEASE = load("service_lease_release.sql");
  private static final String RULED_QUEUES = load("ruled_queues_select.sql");
  private static final String BOUNDARIES = load("log_boundaries_select.sql");
  private static final String RAISE = load("log_starts_raise.sql");
  private static final String TRIM = load("log_starts_trim.sql");
  private static final String TO_PURGE = load("logs_to_purge_select.sql");
  private static final String PURGE = load("messages_purge.sql");
  private static final String CURSORS = load("cursors_past_start.sql");
  private static final String COMPLETED_QUEUES = load("completed_queues_select.sql");
  private static final String FLOORS = load("consumed_floors_select.sql");
  private static final String CONSUMED_DELETE = load("consumed_messages_delete.sql");
  private static final String TO_FIRST = load("log_starts_to_first.sql");
  private static final String DEAD_LETTERS = load("dead_letters_expire.sql");
  private static final String PARTITIONS = load("partitions_cleanup.sql");
  private static final String PRODUCER_STATES = load("producer_states_expire.sql");
  private static final String TRANSACTIONAL_IDS = load("transactional_ids_expire.sql");
  private static final String PRODUCER_IDS = load("producer_ids_expire.sql");

  private final Database database;
  private final RetentionConfig config;
  private final String holder = UUID.randomUUID().toString();
  private final RetentionTotals totals = new RetentionTotals();
  private final LogCompaction compaction;
  private volatile Vertx vertx;
  private volatile boolean stopped = true;

  public RetentionService(Database database, RetentionConfig config) {
    this.database = database;
    this.config = config;
    this.compaction = new LogCompaction(database, config.batchSize());
  }

  public RetentionConfig config() {
    return config;
  }

  public RetentionTotals totals() {
    return totals;
  }

  /**
   * Runs retention every {@code RETENTION_INTERVAL}, eviction every {@code EVICTION_INTERVAL} and compaction every
   * {@code COMPACTION_INTERVAL} until stopped.
   */
  public void start(Vertx vertx) {
    this.vertx = vertx;
    stopped = false;
    schedule(config.intervalMs(), this::runRetention);
    schedule(config.evictionIntervalMs(), this::runEviction);
    schedule(config.compactionIntervalMs(), this::runCompaction);
  }

  public void stop() {
    stopped = true;
  }

  private void schedule(long delayMs, Supplier<Future<RetentionRun>> cycle) {
    if (stopped) {
      return;
    }
    vertx.setTimer(delayMs, id -> {
      if (!stopped) {
        cycle.get().onComplete(done -> schedule(delayMs, cycle));
      }
    });
  }

  /**
   * One retention cycle: log starts by retentionSeconds, retention.ms and retention.bytes; consumed messages by
   * completedRetentionSeconds; the purge below log starts; cursors left below them; dead letters by
   * retentionSeconds; empty partitions idle for {@code PARTITION_CLEANUP_DAYS}; Kafka producers' states, producer
   * ids and transactional ids past their expirations ({@link #expireProducers}).
   */
  public Future<RetentionRun> runRetention() {
    return cycle(RETENTION, c -> advanceStarts(c, false)
        .compose(v -> expireConsumed(c))
        .compose(v -> purge(c))
        .compose(v -> moveCursors(c))
        .compose(v -> vacuum(c))
        .compose(v -> repeat(c, () -> database.pool().preparedQuery(DEAD_LETTERS)
            .execute(Tuple.of(config.batchSize())).map(RowSet::rowCount), n -> c.deadLetters += n))
        .compose(v -> repeat(c, () -> database.pool().preparedQuery(PARTITIONS)
            .execute(Tuple.of(config.partitionCleanupDays() * 86_400.0, config.batchSize())).map(RowSet::rowCount),
            n -> c.partitions += n))
        .compose(v -> expireProducers(c)));
  }

  /**
   * What Kafka forgets of its producers, in batches: transactional ids with no transaction open and unchanged for
   * {@code transactional.id.expiration.ms}; sequence states in logs not written to for
   * {@code producer.id.expiration.ms}, except those of a producer a transactional id still maps to; then producer ids
   * older than the latter with neither left. In this order a forgotten id's states and producer id go in the same
   * cycle. Without it these tables grow with every producer start, and each append reads them under its log's head
   * lock.
   */
  private Future<Void> expireProducers(Cycle c) {
    Tuple producers = Tuple.of((long) config.producerIdExpirationMs(), config.batchSize());
    Tuple transactional = Tuple.of((long) config.transactionalIdExpirationMs(), config.batchSize());
    return repeat(c, () -> deleteBatch(TRANSACTIONAL_IDS, transactional), n -> c.transactionalIds += n)
        .compose(v -> repeat(c, () -> deleteBatch(PRODUCER_STATES, producers), n -> c.producerStates += n))
        .compose(v -> repeat(c, () -> deleteBatch(PRODUCER_IDS, producers), n -> c.producerIds += n));
  }

  private Future<Integer> deleteBatch(String statement, Tuple args) {
    return database.pool().preparedQuery(statement).execute(args).map(RowSet::rowCount);
  }

  /** One eviction cycle: log starts by maxWaitTimeSeconds, then the purge and the cursors below them. */
  public Future<RetentionRun> runEviction() {
    return cycle(EVICTION, c -> advanceStarts(c, true).compose(v -> purge(c)).compose(v -> moveCursors(c))
        .compose(v -> vacuum(c)));
  }

  /** One compaction cycle: superseded records and expired tombstones of compacted topics; a vacuum if much went. */
  public Future<RetentionRun> runCompaction() {
    return cycle(COMPACTION, c -> compaction.run(c::overBudget, n -> c.messages += n).compose(v -> vacuum(c)));
  }

  /**
   * Moves the start of each named log to its offset (-1: the high watermark), never back (Kafka's DeleteRecords),
   * and deletes what fell below in the background. Answers per position, in order.
   */
  public Future<List<LogTrim>> trim(List<LogPosition> positions) {
    List<String> queues = new ArrayList<>(positions.size());
    List<Integer> partitions = new ArrayList<>(positions.size());
    List<Long> offsets = new ArrayList<>(positions.size());
    List<Integer> order = new ArrayList<>(positions.size());
    for (int i = 0; i < positions.size(); i++) {
      LogPosition p = positions.get(i);
      queues.add(p.queue());
      partitions.add(p.kafkaPartition());
      offsets.add(p.value());
      order.add(i);
    }
    Tuple args = Tuple.of(queues.toArray(String[]::new), partitions.toArray(Integer[]::new),
        offsets.toArray(Long[]::new), order.toArray(Integer[]::new));
    return database.pool().preparedQuery(TRIM).execute(args).map(rows -> {
      List<LogTrim> trims = new ArrayList<>(positions.size());
      List<Row> moved = new ArrayList<>();
      for (Row row : rows) {
        Long start = row.getLong("log_start_offset");
        trims.add(new LogTrim(row.getBoolean("known"), row.getBoolean("compact_only"), start == null ? -1 : start));
        if (start != null && start > 0) {
          moved.add(row);
        }
      }
      if (!moved.isEmpty()) {
        // the records are unreadable from now on; deleting them need not hold up the answer
        Cycle c = new Cycle("trim");
        purgeLogs(c, moved, 0).compose(v -> moveCursors(c))
            .onFailure(e -> LOG.warn("purging below new log starts failed (the next cycle retries): {}",
                e.getMessage()));
      }
      return trims;
    });
  }

  private Future<RetentionRun> cycle(String service, java.util.function.Function<Cycle, Future<Void>> work) {
    return database.pool().preparedQuery(LEASE_ACQUIRE).execute(Tuple.of(service, holder, LEASE_SECONDS))
        .compose(taken -> {
          if (taken.size() == 0) {
            return Future.succeededFuture(RetentionRun.skipped(service));
          }
          Cycle c = new Cycle(service);
          return work.apply(c).transform(done -> database.pool().preparedQuery(LEASE_RELEASE)
              .execute(Tuple.of(service, holder))
              .transform(released -> done.succeeded() ? Future.succeededFuture(c.result())
                  : Future.failedFuture(done.cause())));
        })
        .onSuccess(run -> {
          totals.add(run);
          long producers = run.producerStatesExpired() + run.producerIdsExpired() + run.transactionalIdsExpired();
          if (run.ran() && (run.messagesDeleted() > 0 || run.partitionsRemoved() > 0 || producers > 0
              || !run.complete())) {
            LOG.info("{} cycle: {} log starts advanced, {} messages, {} dead letters, {} partitions, {} Kafka "
                + "producer states, {} producer ids, {} transactional ids deleted, {} cursors moved{} in {} ms{}",
                service, run.logStartsAdvanced(), run.messagesDeleted(), run.deadLettersDeleted(),
                run.partitionsRemoved(), run.producerStatesExpired(), run.producerIdsExpired(),
                run.transactionalIdsExpired(), run.cursorsMoved(),
                run.vacuumed() ? ", messages vacuumed" : "", run.millis(),
                run.complete() ? "" : " (stopped at its time budget; the next cycle goes on)");
          }
        })
        .onFailure(e -> {
          totals.failed();
          if (!stopped || vertx == null) {
            LOG.warn("{} cycle failed (the next one retries): {}", service, e.getMessage());
          }
        });
  }

  /** Finds the new start of every log under the rules, queue by queue, and moves them. */
  private Future<Void> advanceStarts(Cycle c, boolean eviction) {
    return database.pool().preparedQuery(RULED_QUEUES).execute(Tuple.of(eviction)).compose(rows -> {
      List<UUID> queues = new ArrayList<>();
      rows.forEach(row -> queues.add(row.getUUID("id")));
      return advanceStarts(c, eviction, queues, 0);
    });
  }

  private Future<Void> advanceStarts(Cycle c, boolean eviction, List<UUID> queues, int i) {
    if (i >= queues.size() || c.overBudget()) {
      return Future.succeededFuture();
    }
    return advanceStarts(c, eviction, queues.get(i)).compose(v -> advanceStarts(c, eviction, queues, i + 1));
  }

  /** One queue's logs; looks again, after purging, where a lookup stopped at its scan bound. */
  private Future<Void> advanceStarts(Cycle c, boolean eviction, UUID queue) {
    if (c.overBudget()) {
      return Future.succeededFuture();
    }
    return database.pool().preparedQuery(BOUNDARIES).execute(Tuple.of(eviction, SCAN_BATCHES * config.batchSize(), queue))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture();
          }
          List<UUID> queues = new ArrayList<>();
          List<Integer> partitions = new ArrayList<>();
          List<Long> starts = new ArrayList<>();
          boolean more = false;
          for (Row row : rows) {
            queues.add(row.getUUID("queue_id"));
            partitions.add(row.getInteger("kafka_partition"));
            starts.add(row.getLong("boundary"));
            more |= row.getBoolean("more");
          }
          boolean again = more;
          return database.pool().preparedQuery(RAISE).execute(Tuple.of(queues.toArray(UUID[]::new),
                  partitions.toArray(Integer[]::new), starts.toArray(Long[]::new)))
              .compose(raised -> {
                c.starts += raised.rowCount();
                return again ? purge(c).compose(v -> advanceStarts(c, eviction, queue)) : Future.succeededFuture();
              });
        });
  }

  /** Deletes, log by log and batch by batch, the messages below each log's start. */
  private Future<Void> purge(Cycle c) {
    return database.pool().preparedQuery(TO_PURGE).execute().compose(rows -> {
      List<Row> logs = new ArrayList<>();
      rows.forEach(logs::add);
      return purgeLogs(c, logs, 0);
    });
  }

  private Future<Void> purgeLogs(Cycle c, List<Row> logs, int i) {
    if (i >= logs.size() || c.overBudget()) {
      return Future.succeededFuture();
    }
    Row log = logs.get(i);
    Tuple args = Tuple.of(log.getUUID("queue_id"), log.getInteger("kafka_partition"), log.getLong("log_start_offset"),
        config.batchSize());
    return repeat(c, () -> database.pool().preparedQuery(PURGE).execute(args).map(RowSet::rowCount),
        n -> c.messages += n)
        .compose(v -> purgeLogs(c, logs, i + 1));
  }

  /**
   * Vacuums the messages table after a cycle that deleted much of it, rather than waiting for autovacuum (which
   * wakes once a minute and then only past 20 % dead rows): the space is reused by the next appends instead of the
   * table growing, and the next purge does not walk the dead index entries of this one. VACUUM takes no lock that
   * appends, reads or deletes wait for.
   */
  private Future<Void> vacuum(Cycle c) {
    if (c.messages < (long) VACUUM_AFTER_BATCHES * config.batchSize()) {
      return Future.succeededFuture();
    }
    // on its own connection without a statement timeout: vacuuming a large table may take longer than any
    // request's statement may, and it blocks nobody meanwhile
    return database.pool().withConnection(conn -> conn.query("SET statement_timeout = 0").execute()
        .compose(set -> conn.query(VACUUM).execute())
        .eventually(v -> conn.query("RESET statement_timeout").execute()))
        .map(done -> {
          c.vacuumed = true;
          return null;
        });
  }

  private Future<Void> moveCursors(Cycle c) {
    return repeat(c, () -> database.pool().preparedQuery(CURSORS).execute(Tuple.of(config.batchSize()))
        .map(RowSet::rowCount), n -> c.cursors += n);
  }

  /** completedRetentionSeconds, queue by queue and page by page of partitions. */
  private Future<Void> expireConsumed(Cycle c) {
    return database.pool().preparedQuery(COMPLETED_QUEUES).execute().compose(rows -> {
      List<Row> queues = new ArrayList<>();
      rows.forEach(queues::add);
      return expireConsumed(c, queues, 0);
    });
  }

  private Future<Void> expireConsumed(Cycle c, List<Row> queues, int i) {
    if (i >= queues.size() || c.overBudget()) {
      return Future.succeededFuture();
    }
    UUID queue = queues.get(i).getUUID("id");
    int seconds = queues.get(i).getInteger("completed_retention_seconds");
    Set<Integer> logs = new LinkedHashSet<>();
    return expireConsumedPage(c, queue, seconds, "", logs)
        .compose(v -> logs.isEmpty() ? Future.succeededFuture()
            : database.pool().preparedQuery(TO_FIRST).execute(Tuple.tuple()
                .addValue(logs.stream().map(k -> queue).toArray(UUID[]::new)).addValue(logs.toArray(Integer[]::new)))
                .map(moved -> {
                  c.starts += moved.rowCount();
                  return null;
                }))
        .compose(v -> expireConsumed(c, queues, i + 1));
  }

  private Future<Void> expireConsumedPage(Cycle c, UUID queue, int seconds, String after, Set<Integer> logs) {
    if (c.overBudget()) {
      return Future.succeededFuture();
    }
    return database.pool().preparedQuery(FLOORS).execute(Tuple.of(queue, after, FLOOR_PAGE)).compose(rows -> {
      List<UUID> ids = new ArrayList<>();
      List<Long> floors = new ArrayList<>();
      String last = after;
      for (Row row : rows) {
        last = row.getString("name");
        Long floor = row.getLong("consumed_to");
        if (floor != null && floor >= 0) {
          ids.add(row.getUUID("id"));
          floors.add(floor);
        }
      }
      String next = last;
      boolean full = rows.size() == FLOOR_PAGE;
      Future<Void> deleted = ids.isEmpty() ? Future.succeededFuture() : repeat(c, () -> database.pool()
          .preparedQuery(CONSUMED_DELETE).execute(Tuple.of(ids.toArray(UUID[]::new), floors.toArray(Long[]::new),
              seconds, config.batchSize()))
          .map(deletedRows -> {
            deletedRows.forEach(row -> logs.add(row.getInteger("kafka_partition")));
            return deletedRows.rowCount();
          }), n -> c.messages += n);
      return deleted.compose(v -> full ? expireConsumedPage(c, queue, seconds, next, logs)
          : Future.succeededFuture());
    });
  }

  /**
   * Runs {@code batch} until it affects fewer than a batch of rows or the cycle's budget is spent: each statement
   * is its own short transaction.
   */
  private Future<Void> repeat(Cycle c, Supplier<Future<Integer>> batch, java.util.function.IntConsumer counted) {
    if (c.overBudget()) {
      return Future.succeededFuture();
    }
    return batch.get().compose(n -> {
      counted.accept(n);
      return n >= config.batchSize() ? repeat(c, batch, counted) : Future.succeededFuture();
    });
  }

  private static String load(String name) {
    return Sql.load(RetentionService.class, name);
  }

  /** The counts of one cycle; touched only by the cycle's own chain of futures, one step at a time. */
  private static final class Cycle {
    final String service;
    final long startedNanos = System.nanoTime();
    boolean stoppedShort;
    long starts;
    long messages;
    long cursors;
    long deadLetters;
    long partitions;
    long producerStates;
    long producerIds;
    long transactionalIds;
    boolean vacuumed;

    Cycle(String service) {
      this.service = service;
    }

    boolean overBudget() {
      if ((System.nanoTime() - startedNanos) / 1_000_000 > CYCLE_BUDGET_MS) {
        stoppedShort = true;
      }
      return stoppedShort;
    }

    RetentionRun result() {
      return new RetentionRun(service, true, !stoppedShort, starts, messages, cursors, deadLetters, partitions,
          vacuumed, (System.nanoTime() - startedNanos) / 1_000_000, producerStates, producerIds, transactionalIds);
    }
  }
}
