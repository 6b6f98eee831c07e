package dev.queenj.http.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one table saying which {@link Role} each route of the native HTTP API needs (spec §3). Guards are mounted
 * with exactly the method and path the route classes use, so Vert.x routes a request to the guard exactly when it
 * routes it to the handler; unknown routes meet no guard and stay 404.
 *
 * <p>Fail-closed and exact: {@link #checkComplete} refuses a router with a route missing from this table (a new
 * route cannot be served unprotected: add its row here, spec §3 names its role), and a row whose route is not mounted
 * (a guard there would answer 401 where the route is unknown, 404).
 */
public final class RouteRoles {
  private static final Role PUBLIC = Role.NONE;
  private static final String API = "/api/v1";
  private static final String GROUPS = API + "/consumer-groups";
  private static final String STREAMS = "/streams/v1";

  private static final Map<String, Role> TABLE = new LinkedHashMap<>();

  static {
    row(HttpMethod.GET, "/health", PUBLIC);
    row(HttpMethod.GET, "/health/ready", PUBLIC);
    row(HttpMethod.GET, "/health/live", PUBLIC);
    row(HttpMethod.GET, "/metrics/prometheus", PUBLIC);
    row(HttpMethod.GET, "/metrics", PUBLIC);
    // the dashboard's page and assets; its API calls carry the operator's token
    row(HttpMethod.GET, "/", PUBLIC);
    row(HttpMethod.GET, "/dashboard/app.js", PUBLIC);
    row(HttpMethod.GET, "/dashboard/app.css", PUBLIC);

    row(HttpMethod.POST, API + "/configure", Role.READ_WRITE);
    row(HttpMethod.POST, API + "/push", Role.READ_WRITE);
    row(HttpMethod.GET, API + "/pop/queue/:queue", Role.READ_WRITE);
    row(HttpMethod.GET, API + "/pop/queue/:queue/partition/:partition", Role.READ_WRITE);
    row(HttpMethod.POST, API + "/ack", Role.READ_WRITE);
    row(HttpMethod.POST, API + "/ack/batch", Role.READ_WRITE);
    row(HttpMethod.POST, API + "/transaction", Role.READ_WRITE);
    row(HttpMethod.POST, API + "/lease/:leaseId/extend", Role.READ_WRITE);

    row(HttpMethod.GET, API + "/resources/overview", Role.READ_ONLY);
    row(HttpMethod.GET, API + "/resources/queues", Role.READ_ONLY);
    row(HttpMethod.GET, API + "/resources/queues/:queue", Role.READ_ONLY);
    row(HttpMethod.DELETE, API + "/resources/queues/:queue", Role.ADMIN);
    row(HttpMethod.GET, API + "/resources/namespaces", Role.READ_ONLY);
    row(HttpMethod.GET, API + "/resources/tasks", Role.READ_ONLY);

    row(HttpMethod.GET, API + "/messages", Role.READ_ONLY);
    row(HttpMethod.GET, API + "/messages/:partitionId/:transactionId", Role.READ_ONLY);
    row(HttpMethod.DELETE, API + "/messages/:partitionId/:transactionId", Role.READ_WRITE);
    row(HttpMethod.GET, API + "/dlq", Role.READ_ONLY);
    // a requeue is a push, a discard deletes one dead letter as DELETE /messages deletes one message
    row(HttpMethod.POST, API + "/dlq/:partitionId/:transactionId/requeue", Role.READ_WRITE);
    row(HttpMethod.DELETE, API + "/dlq/:partitionId/:transactionId", Role.READ_WRITE);

    row(HttpMethod.POST, API + "/traces", Role.READ_WRITE);
    row(HttpMethod.GET, API + "/traces/names", Role.READ_ONLY);
    row(HttpMethod.GET, API + "/traces/by-name/:traceName", Role.READ_ONLY);
    row(HttpMethod.GET, API + "/traces/:partitionId/:transactionId", Role.READ_ONLY);

    row(HttpMethod.GET, GROUPS, Role.READ_ONLY);
    row(HttpMethod.GET, GROUPS + "/lagging", Role.READ_ONLY);
    row(HttpMethod.GET, GROUPS + "/:group", Role.READ_ONLY);
    row(HttpMethod.DELETE, GROUPS + "/:group", Role.ADMIN);
    row(HttpMethod.DELETE, GROUPS + "/:group/queues/:queue", Role.ADMIN);
    row(HttpMethod.POST, GROUPS + "/:group/subscription", Role.READ_WRITE);
    row(HttpMethod.POST, GROUPS + "/:group/queues/:queue/seek", Role.READ_WRITE);
    row(HttpMethod.POST, GROUPS + "/:group/queues/:queue/partitions/:partition/seek", Role.READ_WRITE);

    row(HttpMethod.GET, API + "/status", Role.READ_ONLY);
    row(HttpMethod.GET, API + "/status/queues", Role.READ_ONLY);
    row(HttpMethod.GET, API + "/status/queues/:queue", Role.READ_ONLY);
    row(HttpMethod.GET, API + "/status/queues/:queue/messages", Role.READ_ONLY);
    row(HttpMethod.GET, API + "/status/analytics", Role.READ_ONLY);

    row(HttpMethod.GET, API + "/system/maintenance", Role.ADMIN);
    row(HttpMethod.POST, API + "/system/maintenance", Role.ADMIN);
    row(HttpMethod.GET, API + "/system/maintenance/pop", Role.ADMIN);
    row(HttpMethod.POST, API + "/system/maintenance/pop", Role.ADMIN);

    // Queen streams (queen-streams.md §2), outside /api/v1
    row(HttpMethod.POST, STREAMS + "/queries", Role.READ_WRITE);
    row(HttpMethod.POST, STREAMS + "/state/get", Role.READ_ONLY);
    row(HttpMethod.POST, STREAMS + "/cycle", Role.READ_WRITE);

  }

  private RouteRoles() {}

  private static void row(HttpMethod method, String path, Role role) {
    if (TABLE.put(key(method, path), role) != null) {
      throw new IllegalStateException("two rows for " + key(method, path));
    }
  }

  private static String key(HttpMethod method, String path) {
    return method.name() + " " + path;
  }

  /** Every row: {@code "METHOD /path/:param"} to the role it needs, in the table's order. */
  public static Map<String, Role> table() {
    return java.util.Collections.unmodifiableMap(TABLE);
  }

  /** The role {@code method path} (as mounted, with {@code :param}s) needs; null for a route not in the table. */
  public static Role required(HttpMethod method, String path) {
    return TABLE.get(key(method, path));
  }

  /**
   * Mounts a guard for every non-public row, in front of whatever is mounted after; with authentication off, none.
   * Answers the guard routes, which {@link #checkComplete} leaves out.
   */
  public static List<Route> guard(Router router, HttpAuth auth) {
    List<Route> guards = new ArrayList<>();
    if (!auth.enabled()) {
      return guards;
    }
    for (Map.Entry<String, Role> row : TABLE.entrySet()) {
      if (row.getValue() == PUBLIC) {
        continue;
      }
      String[] methodAndPath = row.getKey().split(" ", 2);
      guards.add(router.route(HttpMethod.valueOf(methodAndPath[0]), methodAndPath[1])
          .handler(auth.guard(row.getValue())));
    }
    return guards;
  }

  /** @throws IllegalStateException naming a mounted route without a row, or a row without a mounted route */
  public static void checkComplete(Router router, List<Route> guards) {
    Set<String> unmounted = new HashSet<>(TABLE.keySet());
    for (Route route : router.getRoutes()) {
      boolean everyRequest = route.getPath() == null && !route.isRegexPath()
          && (route.methods() == null || route.methods().isEmpty());
      if (guards.contains(route) || everyRequest) {
        continue; // the admission, body and failure handlers every request passes
      }
      if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
        throw new IllegalStateException("route " + route + " cannot be matched against RouteRoles' table: mount it "
            + "with a method and a path");
      }
      for (HttpMethod method : route.methods()) {
        if (required(method, route.getPath()) == null) {
          throw new IllegalStateException(key(method, route.getPath()) + " has no row in RouteRoles' table: say "
              + "which role it needs there");
        }
        unmounted.remove(key(method, route.getPath()));
      }
    }
    if (!unmounted.isEmpty()) {
      throw new IllegalStateException("RouteRoles' table has rows for routes nobody mounts: " + unmounted);
    }
  }
}
