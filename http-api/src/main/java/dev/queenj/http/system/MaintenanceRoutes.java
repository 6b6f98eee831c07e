package dev.queenj.http.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.buffer.OutageBuffer;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.maintenance.MaintenanceMode;
import dev.queenj.core.maintenance.MaintenanceMode.Switch;
import dev.queenj.http.Json;
import dev.queenj.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET/POST /api/v1/system/maintenance} (push maintenance, with this instance's outage buffer) and
 * {@code .../maintenance/pop} (pop maintenance). A POST {@code {"enabled":bool}} applies to every instance on the
 * database (each reads the switches every second) and answers the new state.
 */
public final class MaintenanceRoutes {
  private final OutageBuffer outage;
  private final MaintenanceMode maintenance;

  public MaintenanceRoutes(OutageBuffer outage) {
    this.outage = outage;
    this.maintenance = outage.maintenance();
  }

  public void mount(Router router) {
    router.get("/api/v1/system/maintenance").handler(ctx -> Replies.json(ctx, 200, pushState()));
    router.post("/api/v1/system/maintenance").handler(ctx -> set(ctx, Switch.PUSH));
    router.get("/api/v1/system/maintenance/pop").handler(ctx -> Replies.json(ctx, 200, popState()));
    router.post("/api/v1/system/maintenance/pop").handler(ctx -> set(ctx, Switch.POP));
  }

  private void set(RoutingContext ctx, Switch which) {
    JsonNode enabled = Json.bodyObject(ctx).get("enabled");
    if (enabled == null || !enabled.isBoolean()) {
      throw new InvalidRequestException("enabled must be a boolean");
    }
    Replies.ok(ctx, maintenance.set(which, enabled.booleanValue())
        .map(done -> which == Switch.PUSH ? pushState() : popState()));
  }

  private ObjectNode pushState() {
    boolean on = maintenance.pushPaused();
    return Json.object().put("maintenanceMode", on)
        .put("bufferedMessages", outage.files().items())
        .put("bufferBytes", outage.files().bytes())
        .put("bufferMaxBytes", outage.files().maxBytes())
        .put("message", on ? "Push maintenance is on: pushes are buffered on disk and replayed when it is turned off"
            : "Push maintenance is off");
  }

  private ObjectNode popState() {
    boolean on = maintenance.popsPaused();
    return Json.object().put("popMaintenanceMode", on)
        .put("message", on ? "Pop maintenance is on: pops answer empty" : "Pop maintenance is off");
  }
}
