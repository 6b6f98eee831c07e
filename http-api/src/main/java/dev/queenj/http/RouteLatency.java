package dev.queenj.http;

import dev.queenj.http.auth.RouteRoles;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code queen.http.requests}: how long each admitted request took, from admission to the end of its answer (a
 * long-poll's wait included), by method, route <em>template</em> ({@code /api/v1/pop/queue/:queue}, never the
 * concrete path, so a new queue never makes a new series) and status class. A request no route matches is
 * {@code unmatched}; so the number of series is bounded by the routes of {@link RouteRoles}' table times 3 status
 * classes.
 */
final class RouteLatency {
  static final String NAME = "queen.http.requests";
  static final String UNMATCHED = "unmatched";
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS");

  private final MeterRegistry registry;
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
  private final List<Template> templates = new ArrayList<>();

  private record Key(String method, String route, String status) {}

  /** A route of the table as a pattern, for the requests that end outside their route's handler (failures). */
  private record Template(String method, String path, Pattern pattern) {}

  RouteLatency(MeterRegistry registry) {
    this.registry = registry;
    for (String row : RouteRoles.table().keySet()) {
      String[] methodAndPath = row.split(" ", 2);
      templates.add(new Template(methodAndPath[0], methodAndPath[1], pattern(methodAndPath[1])));
    }
  }

  private static Pattern pattern(String template) {
    StringJoiner regex = new StringJoiner("/");
    for (String segment : template.split("/", -1)) {
      regex.add(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
    }
    return Pattern.compile(regex.toString());
  }

  /** Records a request admitted at {@code startedNanos} whose answer has just ended. */
  void record(RoutingContext ctx, long startedNanos) {
    String method = ctx.request().method().name();
    if (!METHODS.contains(method)) {
      method = "OTHER";
    }
    String route = template(ctx, method);
    String status = ctx.response().getStatusCode() / 100 + "xx";
    timers.computeIfAbsent(new Key(method, route, status), this::timer)
        .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The template of the route that answered. A handler's own answer ends while its route is current; a failure
   * ends in the failure handler, which has no path, so the request's path is matched against the table instead
   * (only failed requests pay for that).
   */
  private String template(RoutingContext ctx, String method) {
    Route current = ctx.currentRoute();
    if (current != null && current.getPath() != null) {
      return current.getPath();
    }
    String path = ctx.request().path();
    if (path != null) {
      for (Template template : templates) {
        if (template.method().equals(method) && template.pattern().matcher(path).matches()) {
          return template.path();
        }
      }
    }
    return UNMATCHED;
  }

  private Timer timer(Key key) {
    return Timer.builder(NAME)
        .description("native HTTP API requests, admission to the end of the answer (long-poll waits included)")
        .tag("method", key.method()).tag("route", key.route()).tag("status", key.status())
        .publishPercentileHistogram()
        .register(registry);
  }

}
