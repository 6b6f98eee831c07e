package dev.queenj.http.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.message.MessageService;
import dev.queenj.core.stats.Bucket;
import dev.queenj.core.stats.GroupLag;
import dev.queenj.core.stats.Interval;
import dev.queenj.core.stats.QueueSize;
import dev.queenj.core.stats.StatsService;
import dev.queenj.core.stats.SystemCounts;
import dev.queenj.core.stats.Throughput;
import dev.queenj.http.Json;
import dev.queenj.http.QueryParams;
import dev.queenj.http.Replies;
import dev.queenj.http.message.MessageRoutes;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/status...}: what a dashboard polls. Every answer comes from the per-minute throughput counters, the
 * cursors and small tables ({@link StatsService}), never from a scan of the messages, so polling costs the broker
 * little; {@code /status/queues/:queue/messages} is {@code GET /messages} of one queue, bounded by its page.
 *
 * <p>Throughput windows are {@code [from, to)}, by default the last hour up to and including the current minute;
 * every bucket of the window is present (zero when idle), oldest first, so a chart can plot them as they come.
 */
public final class StatusRoutes {
  private static final String API = "/api/v1/status";
  private static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

  private final StatsService stats;
  private final MessageService messages;

  public StatusRoutes(StatsService stats, MessageService messages) {
    this.stats = stats;
    this.messages = messages;
  }

  public void mount(Router router) {
    router.get(API).handler(this::status);
    router.get(API + "/queues").handler(this::queues);
    router.get(API + "/queues/:queue").handler(this::queue);
    router.get(API + "/queues/:queue/messages")
        .handler(ctx -> Replies.ok(ctx, MessageRoutes.list(messages, ctx, ctx.pathParam("queue"))));
    router.get(API + "/analytics").handler(this::analytics);
  }

  /** Sizes, the last hour's throughput (and the current minute's), and lag over every group. */
  private void status(RoutingContext ctx) {
    Window window = Window.lastHour();
    Future<SystemCounts> counts = stats.counts();
    Future<List<Bucket>> series = stats.series(null, window.from(), window.to(), Interval.MINUTE);
    Future<List<GroupLag>> lag = stats.lag(null);
    Replies.ok(ctx, Future.all(counts, series, lag).map(done -> {
      SystemCounts c = counts.result();
      ObjectNode out = Json.object().put("timestamp", Json.time(OffsetDateTime.now(ZoneOffset.UTC)))
          .put("queues", c.queues()).put("partitions", c.partitions()).put("consumerGroups", c.consumerGroups())
          .put("deadLetters", c.deadLetters()).put("messagesEstimate", c.messagesEstimate());
      ObjectNode throughput = out.putObject("throughput");
      List<Bucket> buckets = series.result();
      throughput.set("currentMinute", render(buckets.get(buckets.size() - 1).throughput()));
      throughput.set("lastHour", render(sum(buckets)));
      out.set("lag", lagTotals(lag.result()));
      return out;
    }));
  }

  /** Every queue with its sizes, the last hour's throughput and its groups' lag. */
  private void queues(RoutingContext ctx) {
    Window window = Window.lastHour();
    Future<List<QueueSize>> sizes = stats.queueSizes(null);
    Future<Map<String, Throughput>> throughput = stats.byQueue(window.from(), window.to());
    Future<List<GroupLag>> lag = stats.lag(null);
    Replies.ok(ctx, Future.all(sizes, throughput, lag).map(done -> {
      ObjectNode out = Json.object();
      ArrayNode list = out.putArray("queues");
      for (QueueSize q : sizes.result()) {
        ObjectNode node = identity(list.addObject(), q);
        node.set("throughput", Json.object().set("lastHour",
            render(throughput.result().getOrDefault(q.name(), Throughput.ZERO))));
        node.set("lag", lagTotals(lag.result().stream().filter(l -> l.queue().equals(q.name())).toList()));
      }
      return out;
    }));
  }

  /** One queue: sizes, throughput per minute over the window, and lag per group; 200 with an error when missing. */
  private void queue(RoutingContext ctx) {
    String name = ctx.pathParam("queue");
    Window window = Window.of(ctx);
    Future<List<QueueSize>> sizes = stats.queueSizes(name);
    Future<List<Bucket>> series = stats.series(name, window.from(), window.to(), window.interval());
    Future<List<GroupLag>> lag = stats.lag(name);
    Replies.ok(ctx, Future.all(sizes, series, lag).map(done -> {
      if (sizes.result().isEmpty()) {
        return Json.object().put("error", "Queue not found");
      }
      ObjectNode out = identity(Json.object(), sizes.result().get(0));
      out.set("throughput", throughput(window, series.result()));
      out.set("lag", lags(lag.result()));
      return out;
    }));
  }

  /** Throughput over the window (every queue, or {@code queue}) and lag per group and queue. */
  private void analytics(RoutingContext ctx) {
    Window window = Window.of(ctx);
    String queue = QueryParams.string(ctx, "queue", null);
    Future<List<Bucket>> series = stats.series(queue, window.from(), window.to(), window.interval());
    Future<List<GroupLag>> lag = stats.lag(queue);
    Replies.ok(ctx, Future.all(series, lag).map(done -> {
      ObjectNode out = Json.object().put("queue", queue);
      out.set("throughput", throughput(window, series.result()));
      out.set("lag", lags(lag.result()));
      return out;
    }));
  }

  private static ObjectNode identity(ObjectNode node, QueueSize q) {
    return node.put("id", q.id().toString()).put("name", q.name()).put("namespace", q.namespace())
        .put("task", q.task()).put("createdAt", Json.time(q.createdAt())).put("partitions", q.partitions())
        .put("deadLetters", q.deadLetters());
  }

  private static ObjectNode throughput(Window window, List<Bucket> buckets) {
    ObjectNode out = Json.object().put("from", window.from().toString()).put("to", window.to().toString())
        .put("interval", window.interval().wireName());
    ArrayNode series = out.putArray("series");
    for (Bucket b : buckets) {
      series.add(render(b.throughput()).put("time", b.start().toString()));
    }
    out.set("totals", render(sum(buckets)));
    return out;
  }

  private static Throughput sum(List<Bucket> buckets) {
    Throughput total = Throughput.ZERO;
    for (Bucket b : buckets) {
      total = total.plus(b.throughput());
    }
    return total;
  }

  private static ObjectNode render(Throughput t) {
    return Json.object().put("pushed", t.pushed()).put("popped", t.popped()).put("acked", t.acked())
        .put("failed", t.failed()).put("deadLettered", t.deadLettered());
  }

  private static ArrayNode lags(List<GroupLag> lags) {
    ArrayNode list = Json.array();
    for (GroupLag l : lags) {
      ObjectNode node = list.addObject().put("consumerGroup", l.consumerGroup()).put("queue", l.queue())
          .put("partitions", l.partitions()).put("partitionsWithLag", l.partitionsWithLag())
          .put("leasesActive", l.leasesActive()).put("totalConsumed", l.totalConsumed())
          .put("lastConsumedAt", Json.time(l.lastConsumedAt())).put("maxTimeLagSeconds", l.maxTimeLagSeconds())
          .put("protocol", l.protocol().wireName());
      if (l.offsetLag() != null) {
        node.put("offsetLag", l.offsetLag());
      }
    }
    return list;
  }

  /**
   * Over several (group, queue) lags: how many groups lag, on how many partitions, and the oldest lag. A Queen group
   * and a Kafka group of one name are two groups.
   */
  private static ObjectNode lagTotals(List<GroupLag> lags) {
    long groups = lags.stream().map(StatusRoutes::groupKey).distinct().count();
    long lagging = lags.stream().filter(l -> l.partitionsWithLag() > 0).map(StatusRoutes::groupKey).distinct()
        .count();
    return Json.object().put("consumerGroups", groups).put("laggingGroups", lagging)
        .put("partitionsWithLag", lags.stream().mapToLong(GroupLag::partitionsWithLag).sum())
        .put("maxTimeLagSeconds", lags.stream().mapToLong(GroupLag::maxTimeLagSeconds).max().orElse(0));
  }

  private static List<String> groupKey(GroupLag lag) {
    return List.of(lag.protocol().wireName(), lag.consumerGroup());
  }

  /** A throughput window: {@code from}, {@code to} (ISO-8601) and {@code interval} (minute or hour). */
  private record Window(Instant from, Instant to, Interval interval) {
    static Window lastHour() {
      Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
      return new Window(to.minus(DEFAULT_WINDOW), to, Interval.MINUTE);
    }

    static Window of(RoutingContext ctx) {
      Interval interval = Interval.parse(QueryParams.string(ctx, "interval", Interval.MINUTE.wireName()));
      OffsetDateTime fromTime = QueryParams.time(ctx, "from");
      OffsetDateTime toTime = QueryParams.time(ctx, "to");
      Instant to = toTime == null ? interval.next(interval.truncate(Instant.now())) : toTime.toInstant();
      Instant from = fromTime == null ? interval.truncate(to.minus(DEFAULT_WINDOW)) : fromTime.toInstant();
      return new Window(from, to, interval);
    }
  }
}
