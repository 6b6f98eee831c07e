package dev.queenj.http.lease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.lease.LeaseExtension;
import dev.queenj.core.lease.LeaseService;
import dev.queenj.http.Json;
import dev.queenj.http.Replies;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** {@code POST /api/v1/lease/:leaseId/extend}. */
public final class LeaseRoutes {
  static final int DEFAULT_EXTENSION_SECONDS = 60;
  private final LeaseService leases;

  public LeaseRoutes(LeaseService leases) {
    this.leases = leases;
  }

  public void mount(Router router) {
    router.post("/api/v1/lease/:leaseId/extend").handler(this::extend);
  }

  private void extend(RoutingContext ctx) {
    ObjectNode body = Json.bodyObject(ctx);
    JsonNode seconds = body.get("seconds");
    int extension = DEFAULT_EXTENSION_SECONDS;
    if (seconds != null && !seconds.isNull()) {
      if (!seconds.canConvertToInt() || !seconds.isIntegralNumber() || seconds.intValue() < 1) {
        throw new InvalidRequestException("seconds must be a positive integer");
      }
      extension = seconds.intValue();
    }
    String leaseId = ctx.pathParam("leaseId");
    UUID id;
    try {
      id = UUID.fromString(leaseId);
    } catch (IllegalArgumentException e) {
      Replies.json(ctx, 200, render(leaseId, new LeaseExtension(false, LeaseExtension.NOT_FOUND, null)));
      return;
    }
    Future<ArrayNode> answer = leases.extend(id, extension).map(result -> render(leaseId, result));
    Replies.ok(ctx, answer);
  }

  private static ArrayNode render(String leaseId, LeaseExtension result) {
    ArrayNode out = Json.array();
    out.addObject().put("index", 0).put("leaseId", leaseId).put("success", result.success())
        .put("error", result.error()).put("expiresAt", Json.time(result.expiresAt()));
    return out;
  }
}
