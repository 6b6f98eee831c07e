package dev.queenj.http.ack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.ack.AckItem;
import dev.queenj.core.ack.AckService;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.http.HttpMetrics;
import dev.queenj.http.Json;
import dev.queenj.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** {@code POST /api/v1/ack} and {@code POST /api/v1/ack/batch}; both answer an array. */
public final class AckRoutes {
  private final AckService acks;
  private final HttpMetrics metrics;

  public AckRoutes(AckService acks, HttpMetrics metrics) {
    this.acks = acks;
    this.metrics = metrics;
  }

  public void mount(Router router) {
    router.post("/api/v1/ack").handler(this::single);
    router.post("/api/v1/ack/batch").handler(this::batch);
  }

  private void single(RoutingContext ctx) {
    ObjectNode body = Json.bodyObject(ctx);
    Json.requiredString(body, "transactionId", "transactionId is required");
    Json.requiredString(body, "partitionId", "partitionId is required to ensure message uniqueness");
    answer(ctx, List.of(AckItems.parse(body, null)));
  }

  private void batch(RoutingContext ctx) {
    ObjectNode body = Json.bodyObject(ctx);
    JsonNode list = body.get("acknowledgments");
    if (list == null || !list.isArray()) {
      throw new InvalidRequestException("acknowledgments array is required");
    }
    String group = Json.optionalString(body, "consumerGroup");
    List<AckItem> items = new ArrayList<>(list.size());
    list.forEach(node -> items.add(AckItems.parse(node, group)));
    answer(ctx, items);
  }

  private void answer(RoutingContext ctx, List<AckItem> items) {
    metrics.ackRequest(items.size());
    Replies.ok(ctx, acks.ack(items).map(AckItems::render));
  }
}
