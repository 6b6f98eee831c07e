package dev.queenj.server;

import dev.queenj.core.stats.GroupLag;
import dev.queenj.core.stats.QueueSize;
import dev.queenj.core.stats.StatsService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-queue sizes and per-group lag on the Prometheus endpoint, from {@link StatsService}'s readings (the ones the
 * {@code /status} routes share, at most {@code READ_MAX_AGE_MS} old), never a query of their own per series.
 *
 * <p>Refreshed when scraped ({@link #refresh()}, called by {@code /metrics/prometheus} and {@code /metrics} before
 * they answer), not on a timer: nobody scraping costs nothing, and however many scrapers, the shared reads run at most
 * once per period. A timer would read lag (the costliest of them, one probe per lagging partition) every few seconds
 * forever, scraped or not.
 *
 * <p>Cardinality: only the {@code series} biggest queues carry a {@code queue} tag (most dead letters, then most
 * partitions, then by name), and only the {@code series} (group, queue) pairs lagging most (oldest unconsumed
 * message, then most lagging partitions); the {@code .all} gauges and {@code queen.queues} count everything, so
 * nothing is hidden when the cut leaves something out. A queue or pair leaving the cut or disappearing has its series
 * removed at the next refresh ({@link MultiGauge} with overwrite). The lag list is whatever {@link StatsService#lag}
 * returns, so any group kind it learns about appears here without a change.
 */
final class QueueMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(QueueMetrics.class);
  /** A scrape waits at most this long for fresh readings, then answers with the last ones. */
  static final long REFRESH_WAIT_MS = 2_000;

  private static final Comparator<QueueSize> BIGGEST_QUEUE_FIRST = Comparator
      .comparingLong(QueueSize::deadLetters).reversed()
      .thenComparing(Comparator.comparingLong(QueueSize::partitions).reversed())
      .thenComparing(QueueSize::name);
  private static final Comparator<GroupLag> MOST_LAG_FIRST = Comparator
      .comparingLong(GroupLag::maxTimeLagSeconds).reversed()
      .thenComparing(Comparator.comparingLong(GroupLag::partitionsWithLag).reversed())
      .thenComparing(GroupLag::consumerGroup).thenComparing(GroupLag::queue);

  /** The readings the gauges show, replaced whole at each refresh. */
  private record Readings(List<QueueSize> sizes, List<GroupLag> lags) {}

  private final StatsService stats;
  private final int series;
  private final MultiGauge deadLetters;
  private final MultiGauge partitions;
  private final MultiGauge lagPartitions;
  private final MultiGauge lagSeconds;
  private volatile Readings last = new Readings(List.of(), List.of());

  QueueMetrics(StatsService stats, MeterRegistry registry, int series) {
    this.stats = stats;
    this.series = series;
    deadLetters = MultiGauge.builder("queen.dlq.depth")
        .description("dead letters of a queue, for the queues with the most (QUEEN_METRICS_QUEUE_SERIES)")
        .register(registry);
    partitions = MultiGauge.builder("queen.queue.partitions")
        .description("partitions of a queue, for the same queues as queen_dlq_depth").register(registry);
    lagPartitions = MultiGauge.builder("queen.consumer.group.lag.partitions")
        .description("partitions a consumer group has a cursor on with messages past it, per (group, queue), "
            + "for the pairs lagging most (QUEEN_METRICS_QUEUE_SERIES)").register(registry);
    lagSeconds = MultiGauge.builder("queen.consumer.group.lag.seconds")
        .description("age of the oldest message a consumer group has not consumed yet on a queue (0 when caught up), "
            + "for the same pairs as queen_consumer_group_lag_partitions").register(registry);
    total(registry, "queen.queues", "queues", r -> r.sizes().size());
    total(registry, "queen.dlq.depth.all", "dead letters of every queue",
        r -> r.sizes().stream().mapToLong(QueueSize::deadLetters).sum());
    total(registry, "queen.queue.partitions.all", "partitions of every queue",
        r -> r.sizes().stream().mapToLong(QueueSize::partitions).sum());
    total(registry, "queen.consumer.group.lag.partitions.all", "lagging partitions over every (group, queue) pair",
        r -> r.lags().stream().mapToLong(GroupLag::partitionsWithLag).sum());
    total(registry, "queen.consumer.group.lag.seconds.max", "the oldest unconsumed message's age over every "
        + "(group, queue) pair", r -> r.lags().stream().mapToLong(GroupLag::maxTimeLagSeconds).max().orElse(0));
  }

  private void total(MeterRegistry registry, String name, String description, ToDoubleFunction<Readings> value) {
    Gauge.builder(name, this, metrics -> value.applyAsDouble(metrics.last)).description(description)
        .strongReference(true).register(registry);
  }

  /**
   * Takes the shared readings (reading Postgres only when they are older than their period) and updates the gauges;
   * completes within {@link #REFRESH_WAIT_MS}, successfully even when a read failed or is late: the gauges then keep
   * the last readings.
   */
  Future<Void> refresh() {
    Future<List<QueueSize>> sizes = stats.queueSizes(null);
    Future<List<GroupLag>> lags = stats.lag(null);
    return Future.all(sizes, lags).timeout(REFRESH_WAIT_MS, TimeUnit.MILLISECONDS)
        .onSuccess(read -> publish(new Readings(sizes.result(), lags.result())))
        .onFailure(e -> LOG.debug("queue metrics keep their last readings: {}", e.toString()))
        .<Void>mapEmpty().otherwiseEmpty();
  }

  private synchronized void publish(Readings readings) {
    if (readings.equals(last)) {
      return;
    }
    last = readings;
    List<QueueSize> queues = readings.sizes().stream().sorted(BIGGEST_QUEUE_FIRST).limit(series).toList();
    deadLetters.register(rows(queues, q -> Tags.of("queue", q.name()), QueueSize::deadLetters), true);
    partitions.register(rows(queues, q -> Tags.of("queue", q.name()), QueueSize::partitions), true);
    List<GroupLag> pairs = readings.lags().stream().sorted(MOST_LAG_FIRST).limit(series).toList();
    lagPartitions.register(rows(pairs, QueueMetrics::tags, GroupLag::partitionsWithLag), true);
    lagSeconds.register(rows(pairs, QueueMetrics::tags, GroupLag::maxTimeLagSeconds), true);
  }

  private static <T> List<MultiGauge.Row<?>> rows(List<T> items, Function<T, Tags> tags, ToLongFunction<T> value) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>(items.size());
    for (T item : items) {
      rows.add(MultiGauge.Row.of(tags.apply(item), value.applyAsLong(item)));
    }
    return rows;
  }

  private static Tags tags(GroupLag lag) {
    return Tags.of("group", lag.consumerGroup(), "queue", lag.queue());
  }
}
