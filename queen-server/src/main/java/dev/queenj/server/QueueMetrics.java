package dev.queenj.server;

import dev.queenj.core.group.PartitionLag;
import dev.queenj.core.resources.Backlog;
import dev.queenj.core.resources.Counted;
import dev.queenj.core.resources.MessageStats;
import dev.queenj.core.resources.QueueStats;
import dev.queenj.core.resources.ResourceService;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-queue sizes and depths and per-group lag on the Prometheus endpoint, from reads the HTTP views share, never a
 * query of their own per series: sizes and lag in time from {@link StatsService}'s readings (the ones the
 * {@code /status} routes share, at most {@code READ_MAX_AGE_MS} old); message counts per queue and lag in messages
 * from {@link ResourceService}'s shared count (the one {@code /resources/overview}, the queue list, namespaces and
 * tasks share: at most one per window, 5 s or ten times as long as the last count took).
 *
 * <p>Refreshed when scraped ({@link #refresh()}, called by {@code /metrics/prometheus} and {@code /metrics} before
 * they answer), not on a timer: nobody scraping costs nothing, and however many scrapers, the shared reads run at most
 * once per period. A timer would read lag (the costliest of them, one probe per lagging partition) every few seconds
 * forever, scraped or not; and the count reads every message, which only the 10x rule keeps cheap.
 *
 * <p>Cardinality: only the {@code series} biggest queues carry a {@code queue} tag (for the sizes: most dead letters,
 * then most partitions, then by name; for the depths: most messages not consumed yet, then most stored, then by
 * name), and only the {@code series} (group, queue) pairs lagging most (in time: oldest unconsumed message, then most
 * lagging partitions; in messages: most behind); the {@code .all} gauges and {@code queen.queues} count everything,
 * so nothing is hidden when the cut leaves something out. A queue or pair leaving the cut or disappearing has its
 * series removed at the next refresh ({@link MultiGauge} with overwrite). The lag lists are whatever
 * {@link StatsService#lag} and {@link ResourceService#backlog()} return, so any group kind they learn about appears
 * here without a change; a Queen group and a Kafka group of the same name on the same queue share one series.
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

  private static final Comparator<QueueDepth> DEEPEST_QUEUE_FIRST = Comparator
      .comparingLong(QueueDepth::unconsumed).reversed()
      .thenComparing(Comparator.comparingLong(QueueDepth::total).reversed())
      .thenComparing(QueueDepth::queue);
  private static final Comparator<MessageLag> MOST_MESSAGES_BEHIND_FIRST = Comparator
      .comparingLong(MessageLag::messages).reversed()
      .thenComparing(MessageLag::group).thenComparing(MessageLag::queue);

  /** The readings of the status routes the gauges show, replaced whole at each refresh. */
  private record Readings(List<QueueSize> sizes, List<GroupLag> lags) {}

  /**
   * One queue's messages: stored, not consumed yet by its most-behind Queen group (pending or processing in the
   * counts' terms), and inside a live leased batch.
   */
  private record QueueDepth(String queue, long total, long unconsumed, long processing) {
    static QueueDepth of(QueueStats stats) {
      MessageStats m = stats.totals();
      return new QueueDepth(stats.queue().name(), m.total(), m.pending() + m.processing(), m.processing());
    }
  }

  /** Messages one group has not consumed yet on one queue, over its partitions. */
  private record MessageLag(String group, String queue, long messages) {}

  /** The readings of the shared count the gauges show, replaced whole at each refresh. */
  private record Depths(List<QueueDepth> queues, List<MessageLag> lags) {
    static Depths of(Backlog backlog) {
      List<QueueDepth> queues = backlog.queues().stream().map(QueueDepth::of).toList();
      Map<List<String>, Long> behind = new LinkedHashMap<>();
      for (PartitionLag p : backlog.lags()) {
        behind.merge(List.of(p.consumerGroup(), p.queue()), p.offsetLag(), Long::sum);
      }
      List<MessageLag> lags = new ArrayList<>(behind.size());
      behind.forEach((key, messages) -> lags.add(new MessageLag(key.get(0), key.get(1), messages)));
      return new Depths(queues, lags);
    }
  }

  private final StatsService stats;
  private final ResourceService resources;
  private final int series;
  private final MultiGauge deadLetters;
  private final MultiGauge partitions;
  private final MultiGauge lagPartitions;
  private final MultiGauge lagSeconds;
  private final MultiGauge depthTotal;
  private final MultiGauge depthPending;
  private final MultiGauge depthProcessing;
  private final MultiGauge lagMessages;
  private volatile Readings last = new Readings(List.of(), List.of());
  private volatile Depths lastDepths = new Depths(List.of(), List.of());

  QueueMetrics(StatsService stats, ResourceService resources, MeterRegistry registry, int series) {
    this.stats = stats;
    this.resources = resources;
    this.series = series;
    deadLetters = multi(registry, "queen.dlq.depth",
        "dead letters of a queue, for the queues with the most (QUEEN_METRICS_QUEUE_SERIES)");
    partitions = multi(registry, "queen.queue.partitions",
        "partitions of a queue, for the same queues as queen_dlq_depth");
    lagPartitions = multi(registry, "queen.consumer.group.lag.partitions", "partitions a consumer group has a cursor "
        + "on with messages past it, per (group, queue), for the pairs lagging most (QUEEN_METRICS_QUEUE_SERIES)");
    lagSeconds = multi(registry, "queen.consumer.group.lag.seconds", "age of the oldest message a consumer group has "
        + "not consumed yet on a queue (0 when caught up), for the same pairs as queen_consumer_group_lag_partitions");
    depthTotal = multi(registry, "queen.queue.depth.total.messages", "messages stored in a queue, for the queues "
        + "with the most messages not consumed yet (QUEEN_METRICS_QUEUE_SERIES)");
    depthPending = multi(registry, "queen.queue.depth.pending.messages", "messages of a queue its most-behind "
        + "consumer group has not consumed yet, those in leased batches included, for the same queues as "
        + "queen_queue_depth_total_messages");
    depthProcessing = multi(registry, "queen.queue.depth.processing.messages", "messages of a queue inside a live "
        + "leased batch, for the same queues as queen_queue_depth_total_messages");
    lagMessages = multi(registry, "queen.consumer.group.lag.messages", "messages a consumer group has not consumed "
        + "yet on a queue, per (group, queue), for the pairs most behind (QUEEN_METRICS_QUEUE_SERIES)");
    total(registry, "queen.queues", "queues", m -> m.last.sizes().size());
    total(registry, "queen.dlq.depth.all", "dead letters of every queue",
        m -> m.last.sizes().stream().mapToLong(QueueSize::deadLetters).sum());
    total(registry, "queen.queue.partitions.all", "partitions of every queue",
        m -> m.last.sizes().stream().mapToLong(QueueSize::partitions).sum());
    total(registry, "queen.consumer.group.lag.partitions.all", "lagging partitions over every (group, queue) pair",
        m -> m.last.lags().stream().mapToLong(GroupLag::partitionsWithLag).sum());
    total(registry, "queen.consumer.group.lag.seconds.max", "the oldest unconsumed message's age over every "
        + "(group, queue) pair", m -> m.last.lags().stream().mapToLong(GroupLag::maxTimeLagSeconds).max().orElse(0));
    total(registry, "queen.queue.depth.total.messages.all", "messages stored in every queue",
        m -> m.lastDepths.queues().stream().mapToLong(QueueDepth::total).sum());
    total(registry, "queen.queue.depth.pending.messages.all", "messages not consumed yet over every queue",
        m -> m.lastDepths.queues().stream().mapToLong(QueueDepth::unconsumed).sum());
    total(registry, "queen.queue.depth.processing.messages.all", "messages in live leased batches over every queue",
        m -> m.lastDepths.queues().stream().mapToLong(QueueDepth::processing).sum());
    total(registry, "queen.consumer.group.lag.messages.all", "messages not consumed yet summed over every "
        + "(group, queue) pair", m -> m.lastDepths.lags().stream().mapToLong(MessageLag::messages).sum());
  }

  private static MultiGauge multi(MeterRegistry registry, String name, String description) {
    return MultiGauge.builder(name).description(description).register(registry);
  }

  private void total(MeterRegistry registry, String name, String description, ToDoubleFunction<QueueMetrics> value) {
    Gauge.builder(name, this, value).description(description).strongReference(true).register(registry);
  }

  /**
   * Takes the shared readings (reading Postgres only when they are older than their period) and updates the gauges;
   * completes within {@link #REFRESH_WAIT_MS}, successfully even when a read failed or is late: the gauges it feeds
   * then keep their last readings. The status readings and the count are waited for apart, so that a slow count (a
   * large log) does not hold back the cheap sizes and lag; it is under way then, and a later scrape takes its result.
   */
  Future<Void> refresh() {
    Future<List<QueueSize>> sizes = stats.queueSizes(null);
    Future<List<GroupLag>> lags = stats.lag(null);
    Future<Void> status = within(Future.all(sizes, lags))
        .onSuccess(read -> publish(new Readings(sizes.result(), lags.result()))).mapEmpty();
    Future<Void> counted = within(resources.backlog().map(Counted::value)).onSuccess(this::publishDepths).mapEmpty();
    return Future.join(status, counted).<Void>mapEmpty().otherwiseEmpty();
  }

  private static <T> Future<T> within(Future<T> read) {
    return read.timeout(REFRESH_WAIT_MS, TimeUnit.MILLISECONDS)
        .onFailure(e -> LOG.debug("queue metrics keep their last readings: {}", e.toString()));
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

  private synchronized void publishDepths(Backlog backlog) {
    Depths depths = Depths.of(backlog);
    if (depths.equals(lastDepths)) {
      return;
    }
    lastDepths = depths;
    List<QueueDepth> queues = depths.queues().stream().sorted(DEEPEST_QUEUE_FIRST).limit(series).toList();
    depthTotal.register(rows(queues, q -> Tags.of("queue", q.queue()), QueueDepth::total), true);
    depthPending.register(rows(queues, q -> Tags.of("queue", q.queue()), QueueDepth::unconsumed), true);
    depthProcessing.register(rows(queues, q -> Tags.of("queue", q.queue()), QueueDepth::processing), true);
    List<MessageLag> pairs = depths.lags().stream().sorted(MOST_MESSAGES_BEHIND_FIRST).limit(series).toList();
    lagMessages.register(rows(pairs, p -> Tags.of("group", p.group(), "queue", p.queue()), MessageLag::messages),
        true);
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
