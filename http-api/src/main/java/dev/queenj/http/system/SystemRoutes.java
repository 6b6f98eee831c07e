package dev.queenj.http.system;

import dev.queenj.core.storage.Database;
import dev.queenj.http.Json;
import dev.queenj.http.Replies;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /health} (with a real database round trip), liveness, readiness and {@code /metrics/prometheus}. */
public final class SystemRoutes {
  private final Database database;
  private final PrometheusMeterRegistry registry;

  public SystemRoutes(Database database, PrometheusMeterRegistry registry) {
    this.database = database;
    this.registry = registry;
  }

  public void mount(Router router) {
    router.get("/health").handler(this::health);
    router.get("/health/ready").handler(this::health);
    router.get("/health/live").handler(ctx -> Replies.json(ctx, 200, Json.object().put("status", "alive")));
    router.get("/metrics/prometheus").handler(this::metrics);
  }

  private void health(RoutingContext ctx) {
    // answered within the connect deadline even when Postgres hangs (Database.ping has that deadline)
    database.ping().onComplete(done -> {
      boolean up = done.succeeded();
      Replies.json(ctx, up ? 200 : 503, Json.object().put("status", up ? "healthy" : "unhealthy")
          .put("database", up ? "connected" : "disconnected").put("server", "queen-j"));
    });
  }

  private void metrics(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
  }
}
