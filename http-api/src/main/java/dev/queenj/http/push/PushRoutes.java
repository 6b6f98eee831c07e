package dev.queenj.http.push;

import dev.queenj.core.buffer.OutageBuffer;
import dev.queenj.core.push.PushItem;
import dev.queenj.http.HttpMetrics;
import dev.queenj.http.Json;
import dev.queenj.http.Replies;
import dev.queenj.http.auth.HttpPrincipal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /api/v1/push}: stored in Postgres, or, while it is unreachable or push maintenance is on, fsynced to
 * the outage buffer and answered {@code "buffered"}.
 */
public final class PushRoutes {
  private final OutageBuffer push;
  private final HttpMetrics metrics;

  public PushRoutes(OutageBuffer push, HttpMetrics metrics) {
    this.push = push;
    this.metrics = metrics;
  }

  public void mount(Router router) {
    router.post("/api/v1/push").handler(this::push);
  }

  private void push(RoutingContext ctx) {
    List<PushItem> items = PushItems.parse(Json.bodyObject(ctx).get("items"), HttpPrincipal.producerSub(ctx));
    metrics.pushRequest(items.size());
    if (items.isEmpty()) {
      Replies.json(ctx, 201, Json.array());
      return;
    }
    Replies.ok(ctx, push.push(items).map(PushItems::render));
  }
}
