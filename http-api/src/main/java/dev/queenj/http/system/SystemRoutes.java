package dev.queenj.http.system;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.storage.Database;
import dev.queenj.http.Json;
import dev.queenj.http.Replies;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /health} (with a real database round trip), liveness, readiness, {@code /metrics/prometheus} and the same
 * meters as JSON at {@code /metrics}.
 */
public final class SystemRoutes {
  private final Database database;
  private final PrometheusMeterRegistry registry;
  private final Supplier<Future<Void>> beforeScrape;

  /**
   * {@code beforeScrape} updates the meters read from the database (per-queue sizes, lag); it completes within its
   * own deadline, successfully even when it could not read (those meters then show their last readings).
   */
  public SystemRoutes(Database database, PrometheusMeterRegistry registry, Supplier<Future<Void>> beforeScrape) {
    this.database = database;
    this.registry = registry;
    this.beforeScrape = beforeScrape;
  }

  public void mount(Router router) {
    router.get("/health").handler(this::health);
    router.get("/health/ready").handler(this::health);
    router.get("/health/live").handler(ctx -> Replies.json(ctx, 200, Json.object().put("status", "alive")));
    router.get("/metrics/prometheus").handler(this::metrics);
    router.get("/metrics").handler(ctx -> beforeScrape.get()
        .onComplete(updated -> Replies.json(ctx, 200, snapshot(registry))));
  }

  /**
   * Every meter of the Prometheus endpoint as JSON, for scripts and the dashboard: {@code {timestamp, meters:[{name,
   * type, tags:{...}, values:{statistic: value}}]}}, with Micrometer's names (dots; Prometheus shows them with
   * underscores and a unit or {@code _total} suffix) and statistics ({@code count}, {@code value}, {@code total},
   * {@code max}...), ordered by name.
   */
  static ObjectNode snapshot(MeterRegistry registry) {
    ObjectNode out = Json.object().put("timestamp", Json.time(OffsetDateTime.now(ZoneOffset.UTC)));
    ArrayNode list = out.putArray("meters");
    List<Meter> meters = new ArrayList<>(registry.getMeters());
    meters.sort(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> m.getId().getTags()
        .toString()));
    for (Meter meter : meters) {
      ObjectNode node = list.addObject().put("name", meter.getId().getName())
          .put("type", meter.getId().getType().name().toLowerCase(Locale.ROOT));
      ObjectNode tags = node.putObject("tags");
      meter.getId().getTags().forEach(tag -> tags.put(tag.getKey(), tag.getValue()));
      ObjectNode values = node.putObject("values");
      for (Measurement m : meter.measure()) {
        double v = m.getValue();
        String key = m.getStatistic().name().toLowerCase(Locale.ROOT);
        if (Double.isFinite(v)) {
          values.put(key, v);
        } else {
          values.putNull(key);
        }
      }
    }
    return out;
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
    beforeScrape.get().onComplete(updated -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
  }
}
