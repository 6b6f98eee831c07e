package dev.queenj.http.pop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.maintenance.MaintenanceMode;
import dev.queenj.core.pop.PopRequest;
import dev.queenj.core.pop.PopResult;
import dev.queenj.core.pop.PopService;
import dev.queenj.core.pop.PoppedMessage;
import dev.queenj.core.pop.SubscriptionStart;
import dev.queenj.http.HttpConfig;
import dev.queenj.http.HttpMetrics;
import dev.queenj.http.Json;
import dev.queenj.http.Names;
import dev.queenj.http.QueryParams;
import dev.queenj.http.Replies;
import dev.queenj.http.RequestDeadline;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/pop/queue/:queue} (any partition) and {@code .../partition/:partition} (one). */
public final class PopRoutes {
  private final PopService pops;
  private final ParkedPolls parked;
  private final HttpConfig config;
  private final HttpMetrics metrics;
  private final MaintenanceMode maintenance;

  public PopRoutes(PopService pops, ParkedPolls parked, HttpConfig config, HttpMetrics metrics,
      MaintenanceMode maintenance) {
    this.pops = pops;
    this.parked = parked;
    this.config = config;
    this.metrics = metrics;
    this.maintenance = maintenance;
  }

  public void mount(Router router) {
    router.get("/api/v1/pop/queue/:queue").handler(ctx -> pop(ctx, null));
    router.get("/api/v1/pop/queue/:queue/partition/:partition")
        .handler(ctx -> pop(ctx, Names.check("partition", ctx.pathParam("partition"))));
  }

  private void pop(RoutingContext ctx, String partition) {
    PopRequest request = new PopRequest(Names.check("queue", ctx.pathParam("queue")), partition,
        Names.check("consumerGroup", QueryParams.string(ctx, "consumerGroup", PopRequest.QUEUE_MODE)),
        QueryParams.integer(ctx, "batch", config.defaultBatch()),
        partition == null ? QueryParams.integer(ctx, "partitions", 1) : 1,
        QueryParams.bool(ctx, "autoAck"), subscription(ctx), QueryParams.string(ctx, "workerId", null));
    // validated even when it is not used (no wait), so that a malformed query is refused the same way every time
    int timeout = QueryParams.integer(ctx, "timeout", config.defaultTimeoutMs());
    if (timeout < 0) {
      throw new InvalidRequestException("timeout must not be negative");
    }
    metrics.popRequest();
    if (maintenance.popsPaused()) {
      // pop maintenance: answered empty at once, long-poll or not, as Queen does; nothing is claimed
      Replies.json(ctx, 200, timedOut(request));
      return;
    }
    if (!QueryParams.bool(ctx, "wait")) {
      Replies.ok(ctx, pops.pop(request).map(result -> render(result, request)));
      return;
    }
    LongPoll poll = parked.park(request, timeout);
    RequestDeadline.hold(ctx, timeout);
    ctx.response().closeHandler(closed -> poll.release());
    Future<ObjectNode> answer = poll.result()
        .map(result -> result == null ? timedOut(request) : render(result, request));
    Replies.ok(ctx, answer);
  }

  private SubscriptionStart subscription(RoutingContext ctx) {
    String from = QueryParams.string(ctx, "subscriptionFrom", null);
    if (from != null) {
      return from.equalsIgnoreCase("now") ? new SubscriptionStart.Now()
          : new SubscriptionStart.At(Json.parseTime(from, "subscriptionFrom"));
    }
    // As Queen: every mode but "new" (and its spellings) reads from the beginning; Queen's JS client sends
    // "from_beginning", others "all" or "earliest".
    String mode = QueryParams.string(ctx, "subscriptionMode", config.defaultSubscriptionMode());
    return HttpConfig.NEW_ONLY_MODES.contains(mode) ? new SubscriptionStart.Now() : new SubscriptionStart.All();
  }

  private ObjectNode render(PopResult result, PopRequest request) {
    if (result instanceof PopResult.Unavailable unavailable) {
      ObjectNode out = Json.object().put("success", false).put("error", unavailable.reason().wireName());
      out.putArray("messages");
      return out;
    }
    if (result instanceof PopResult.WindowBufferActive window) {
      ObjectNode out = Json.object().put("success", true).put("queue", window.queue())
          .put("partition", window.partition()).put("partitionId", window.partitionId().toString())
          .put("leaseId", "").put("consumerGroup", window.consumerGroup()).put("windowBufferActive", true);
      out.putArray("messages");
      return out;
    }
    PopResult.Claimed claimed = (PopResult.Claimed) result;
    metrics.popped(claimed.messages().size());
    ObjectNode out = Json.object().put("success", true).put("queue", claimed.queue())
        .put("partition", claimed.partition()).put("partitionId", claimed.partitionId().toString())
        .put("leaseId", claimed.leaseId()).put("consumerGroup", claimed.consumerGroup())
        .put("partitionsClaimed", claimed.partitionsClaimed());
    ArrayNode messages = out.putArray("messages");
    for (PoppedMessage m : claimed.messages()) {
      ObjectNode node = messages.addObject();
      node.put("id", m.id().toString()).put("transactionId", m.transactionId())
          .put("traceId", m.traceId() == null ? null : m.traceId().toString());
      node.set("data", m.kafkaOrigin() ? Json.kafkaValue(m.payload()) : Json.raw(m.payload()));
      node.put("producerSub", m.producerSub()).put("createdAt", Json.time(m.createdAt()))
          .put("partitionId", m.partitionId().toString()).put("partition", m.partition())
          .put("leaseId", m.leaseId()).put("consumerGroup", request.consumerGroup())
          .put("retryCount", m.retryCount());
    }
    return out;
  }

  private static ObjectNode timedOut(PopRequest request) {
    ObjectNode out = Json.object().put("success", true).put("queue", request.queue()).put("partition", "")
        .putNull("partitionId").putNull("leaseId").put("consumerGroup", request.consumerGroup());
    out.putArray("messages");
    return out;
  }
}
