package dev.queenj.core.stats;

import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.group.GroupProtocol;
import dev.queenj.core.group.KafkaGroupOffsets;
import dev.queenj.core.group.KafkaPartitionLag;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import dev.queenj.core.trace.TraceService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' statistics without scanning the log: throughput per queue and minute from the counters this instance
 * keeps as work happens ({@link ThroughputCounters}), added to {@code queue_stats} every flush interval and read back
 * summed over instances plus this instance's counts not flushed yet; lag per group from the cursors; sizes from small
 * tables. The flusher also prunes statistics and trace events past the retention.
 */
public final class StatsService {
  private static final Logger LOG = LoggerFactory.getLogger(StatsService.class);
  private static final String ADD = Sql.load(StatsService.class, "queue_stats_add.sql");
  private static final String SELECT = Sql.load(StatsService.class, "queue_stats_select.sql");
  private static final String PRUNE = Sql.load(StatsService.class, "queue_stats_prune.sql");
  private static final String LAG = Sql.load(StatsService.class, "group_lag_summary.sql");
  private static final String COUNTS = Sql.load(StatsService.class, "system_counts_select.sql");
  private static final String SIZES = Sql.load(StatsService.class, "queue_sizes_select.sql");
  /** Trace events forgotten per flush at most: bounds the statement; a backlog goes over several flushes. */
  static final int TRACE_PRUNE_BATCH = 10_000;
  /**
   * How long lag and size reads are reused. A lag read costs one pass over the cursors and a probe per lagging
   * partition, the sizes a pass over partitions and cursors (measured on a loaded 2-core machine with 100,000
   * partitions, two groups and half of the partitions lagging: lag 520-590 ms, sizes 80 ms), so however many
   * dashboards poll, an instance reads them at most once per this period (per queue asked for).
   */
  static final long READ_MAX_AGE_MS = 5_000;

  private final Database database;
  private final ThroughputCounters counters;
  private final TraceService traces;
  private volatile StatsConfig config = StatsConfig.DEFAULTS;
  private volatile Vertx vertx;
  private volatile boolean stopped = true;
  private final RecentReads<List<GroupLag>> lagReads = new RecentReads<>(READ_MAX_AGE_MS);
  private final RecentReads<SystemCounts> countReads = new RecentReads<>(READ_MAX_AGE_MS);
  private final RecentReads<List<QueueSize>> sizeReads = new RecentReads<>(READ_MAX_AGE_MS);
  /** Counts drained by the flush under way and not committed yet: still this instance's to report. */
  private volatile Map<ThroughputCounters.Key, Throughput> flushing = Map.of();
  private Future<Void> flushUnderWay;
  /** Flushes committed; a read during which one committed reads again (it may have seen its counts twice). */
  private final AtomicLong flushesCommitted = new AtomicLong();
  /** Reads again at most this often when flushes keep committing under them. */
  private static final int READ_ATTEMPTS = 3;

  private final KafkaGroupOffsets kafkaGroups;

  /** {@code kafkaGroups}: Kafka consumer groups' lag is read with Queen groups' and reused as long. */
  public StatsService(Database database, ThroughputCounters counters, TraceService traces,
      KafkaGroupOffsets kafkaGroups) {
    this.database = database;
    this.counters = counters;
    this.traces = traces;
    this.kafkaGroups = kafkaGroups;
  }

  /** Flushes (and prunes) every {@code flushIntervalMs} until stopped. */
  public void start(Vertx vertx, StatsConfig config) {
    this.vertx = vertx;
    this.config = config;
    stopped = false;
    schedule();
  }

  /** Stops the flusher after one last flush, so a clean shutdown loses no counts. */
  public Future<Void> stop() {
    if (stopped) {
      return Future.succeededFuture();
    }
    stopped = true;
    return flush().recover(failed -> Future.succeededFuture());
  }

  private void schedule() {
    vertx.setTimer(config.flushIntervalMs(), id -> {
      if (stopped) {
        return;
      }
      flush().compose(done -> prune())
          .onFailure(e -> LOG.warn("statistics flush failed, counts kept for the next one: {}", e.toString()))
          .onComplete(done -> {
            if (!stopped) {
              schedule();
            }
          });
    });
  }

  /**
   * Adds this instance's counts to {@code queue_stats}; on failure they stay counted here for the next flush. One flush
   * at a time: a call while one is under way answers that one.
   */
  public synchronized Future<Void> flush() {
    if (flushUnderWay != null) {
      return flushUnderWay;
    }
    Map<ThroughputCounters.Key, Throughput> drained = counters.drain();
    if (drained.isEmpty()) {
      return Future.succeededFuture();
    }
    flushing = drained;
    int n = drained.size();
    OffsetDateTime[] minutes = new OffsetDateTime[n];
    String[] queues = new String[n];
    Long[][] values = new Long[5][n];
    int i = 0;
    for (Map.Entry<ThroughputCounters.Key, Throughput> e : drained.entrySet()) {
      minutes[i] = e.getKey().minute().atOffset(ZoneOffset.UTC);
      queues[i] = e.getKey().queue();
      Throughput t = e.getValue();
      values[0][i] = t.pushed();
      values[1][i] = t.popped();
      values[2][i] = t.acked();
      values[3][i] = t.failed();
      values[4][i] = t.deadLettered();
      i++;
    }
    Tuple params = Tuple.tuple().addValue(minutes).addValue(queues);
    for (Long[] column : values) {
      params.addValue(column);
    }
    Future<Void> written = database.pool().preparedQuery(ADD).execute(params).<Void>mapEmpty();
    flushUnderWay = written;
    return written.andThen(done -> {
      synchronized (this) {
        if (done.succeeded()) {
          flushesCommitted.incrementAndGet();
        } else {
          counters.restore(drained);
        }
        flushing = Map.of();
        flushUnderWay = null;
      }
    });
  }

  /** Forgets statistics and (a batch of) trace events older than the retention. */
  public Future<Void> prune() {
    OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minusDays(config.retentionDays());
    return database.pool().preparedQuery(PRUNE).execute(Tuple.of(before))
        .compose(done -> traces.prune(before, TRACE_PRUNE_BATCH)).mapEmpty();
  }

  /**
   * Throughput of {@code queue} (null = every queue) in {@code [from, to)}, one bucket per interval, oldest first,
   * with a bucket (zero when idle) for every interval of the window.
   */
  public Future<List<Bucket>> series(String queue, Instant from, Instant to, Interval interval) {
    checkWindow(from, to, interval);
    Instant first = interval.truncate(from);
    return stored(queue, first, to).map(rows -> {
      Map<Instant, Throughput> buckets = new TreeMap<>();
      for (Instant b = first; b.isBefore(to); b = interval.next(b)) {
        buckets.put(b, Throughput.ZERO);
      }
      rows.forEach((key, t) -> buckets.computeIfPresent(interval.truncate(key.minute()), (b, sum) -> sum.plus(t)));
      List<Bucket> series = new ArrayList<>(buckets.size());
      buckets.forEach((start, t) -> series.add(new Bucket(start, t)));
      return series;
    });
  }

  /** Throughput per queue in {@code [from, to)}, by queue name; queues without work in the window are absent. */
  public Future<Map<String, Throughput>> byQueue(Instant from, Instant to) {
    return stored(null, from, to).map(rows -> {
      Map<String, Throughput> byQueue = new TreeMap<>();
      rows.forEach((key, t) -> byQueue.merge(key.queue(), t, Throughput::plus));
      return byQueue;
    });
  }

  /**
   * Lag per group and queue ({@code queue} null = every queue): Queen's groups by group then queue, then Kafka's; a
   * read at most {@link #READ_MAX_AGE_MS} old.
   */
  public Future<List<GroupLag>> lag(String queue) {
    return lagReads.get(queue == null ? "" : "q:" + queue, () -> readLag(queue));
  }

  private Future<List<GroupLag>> readLag(String queue) {
    Future<List<GroupLag>> queen = database.pool().preparedQuery(LAG).execute(Tuple.of(queue)).map(rows -> {
      List<GroupLag> lags = new ArrayList<>(rows.size());
      for (Row r : rows) {
        lags.add(new GroupLag(r.getString("consumer_group"), r.getString("queue_name"), r.getLong("partitions"),
            r.getLong("partitions_with_lag"), r.getLong("leases_active"), r.getLong("total_consumed"),
            r.getOffsetDateTime("last_consumed_at"), r.getLong("max_time_lag_seconds"), GroupProtocol.QUEEN,
            null));
      }
      return lags;
    });
    // every Kafka group's partitions, filtered here: bounded by the committed offsets, which are few next to cursors
    Future<List<KafkaPartitionLag>> kafka = kafkaGroups.lag(null);
    return Future.all(queen, kafka).map(done -> {
      List<GroupLag> all = new ArrayList<>(queen.result());
      all.addAll(GroupLag.ofKafka(kafka.result(), queue));
      return all;
    });
  }

  /**
   * Every queue ({@code queue} null) or one, by name, with its numbers of partitions and dead letters; a read at most
   * {@link #READ_MAX_AGE_MS} old.
   */
  public Future<List<QueueSize>> queueSizes(String queue) {
    return sizeReads.get(queue == null ? "" : "q:" + queue, () -> readSizes(queue));
  }

  private Future<List<QueueSize>> readSizes(String queue) {
    return database.pool().preparedQuery(SIZES).execute(Tuple.of(queue)).map(rows -> {
      List<QueueSize> sizes = new ArrayList<>(rows.size());
      for (Row r : rows) {
        sizes.add(new QueueSize(r.getUUID("id"), r.getString("name"), r.getString("namespace"), r.getString("task"),
            r.getOffsetDateTime("created_at"), r.getLong("partitions"), r.getLong("dead_letters")));
      }
      return sizes;
    });
  }

  /** The broker's sizes, a read at most {@link #READ_MAX_AGE_MS} old. */
  public Future<SystemCounts> counts() {
    return countReads.get("", this::readCounts);
  }

  /**
   * Forgets the lag, size and count reads kept, so that the next ones read Postgres: for tests that empty the
   * database under a running server.
   */
  public void forgetRecentReads() {
    lagReads.clear();
    countReads.clear();
    sizeReads.clear();
  }

  private Future<SystemCounts> readCounts() {
    return database.pool().query(COUNTS).execute().map(rows -> {
      Row r = rows.iterator().next();
      return new SystemCounts(r.getLong("queues"), r.getLong("partitions"), r.getLong("consumer_groups"),
          r.getLong("dead_letters"), r.getLong("messages_estimate"));
    });
  }

  /** Stored counts per (queue, minute) in {@code [from, to)} plus this instance's counts not flushed yet. */
  private Future<Map<ThroughputCounters.Key, Throughput>> stored(String queue, Instant from, Instant to) {
    return stored(queue, from, to, READ_ATTEMPTS);
  }

  private Future<Map<ThroughputCounters.Key, Throughput>> stored(String queue, Instant from, Instant to,
      int attemptsLeft) {
    // Counts are in exactly one of three places: here not drained, drained by a flush under way, or committed. Taken
    // before the read, a flush committing during it would be seen twice: then read again.
    long committedBefore;
    Map<ThroughputCounters.Key, Throughput> pending;
    synchronized (this) {
      committedBefore = flushesCommitted.get();
      pending = counters.snapshot();
      flushing.forEach((key, t) -> pending.merge(key, t, Throughput::plus));
    }
    Tuple params = Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), queue);
    return database.pool().preparedQuery(SELECT).execute(params).map(rows -> {
      Map<ThroughputCounters.Key, Throughput> all = new HashMap<>();
      for (Row r : rows) {
        all.merge(new ThroughputCounters.Key(r.getString("queue_name"), r.getOffsetDateTime("minute").toInstant()),
            new Throughput(r.getLong("pushed"), r.getLong("popped"), r.getLong("acked"), r.getLong("failed"),
                r.getLong("dead_lettered")), Throughput::plus);
      }
      pending.forEach((key, t) -> {
        boolean inWindow = !key.minute().isBefore(from) && key.minute().isBefore(to);
        if (inWindow && (queue == null || queue.equals(key.queue()))) {
          all.merge(key, t, Throughput::plus);
        }
      });
      return all;
    }).compose(all -> flushesCommitted.get() != committedBefore && attemptsLeft > 1
        ? stored(queue, from, to, attemptsLeft - 1) : Future.succeededFuture(all));
  }

  private static void checkWindow(Instant from, Instant to, Interval interval) {
    if (!from.isBefore(to)) {
      throw new InvalidRequestException("from must be before to");
    }
    if (Duration.between(from, to).compareTo(interval.maxWindow()) > 0) {
      throw new InvalidRequestException("a window of " + interval.wireName() + " buckets may span at most "
          + interval.maxWindow().toHours() + " hours");
    }
  }
}
