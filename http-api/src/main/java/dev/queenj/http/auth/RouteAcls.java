package dev.queenj.http.auth;

import static dev.queenj.core.acl.AclOperation.ALTER;
import static dev.queenj.core.acl.AclOperation.DELETE;
import static dev.queenj.core.acl.AclOperation.DESCRIBE;
import static dev.queenj.core.acl.AclOperation.READ;
import static dev.queenj.core.acl.AclOperation.WRITE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.acl.AclOperation;
import dev.queenj.core.acl.AclPolicy;
import dev.queenj.core.acl.ResourceKind;
import dev.queenj.core.pop.PopRequest;
import dev.queenj.http.HttpErrors;
import dev.queenj.http.Json;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Kafka's ACLs on the native HTTP API, with one principal model: a JWT's {@code sub} is {@code User:<sub>}, as a SASL
 * user name is on Kafka, and a queue is the topic of the same name, so one ACL covers a queue whichever protocol
 * reaches it. This table says which resources each route touches and with which Kafka operation (push WRITE, pop
 * READ with its consumer group READ, configure ALTER, delete DELETE...); a JWT with the admin role is a super user.
 * Checked after {@link RouteRoles}' role guard, only when both JWT and the authorizer are on.
 *
 * <p>Routes that name no queue or group by name (acks and messages by partition id, leases, listings) are guarded by
 * their role alone: an ack or lease extension needs the lease of a pop that READ was checked for.
 */
public final class RouteAcls {
  private static final String API = "/api/v1";
  private static final String GROUPS = API + "/consumer-groups";
  private static final String STREAMS = "/streams/v1";
  private static final Function<RoutingContext, List<Need>> ROLE_ONLY = ctx -> List.of();

  /** One resource a request touches, and how. */
  public record Need(ResourceKind kind, String name, AclOperation operation) {}

  private static final Map<String, Function<RoutingContext, List<Need>>> TABLE = new LinkedHashMap<>();

  static {
    row(HttpMethod.POST, API + "/configure",
        ctx -> topic(ALTER, Json.optionalString(Json.bodyObject(ctx), "queue")));
    row(HttpMethod.POST, API + "/push", ctx -> pushed(Json.bodyObject(ctx).get("items")));
    row(HttpMethod.GET, API + "/pop/queue/:queue", RouteAcls::pop);
    row(HttpMethod.GET, API + "/pop/queue/:queue/partition/:partition", RouteAcls::pop);
    row(HttpMethod.POST, API + "/ack", ctx -> group(READ, Json.optionalString(Json.bodyObject(ctx), "consumerGroup")));
    row(HttpMethod.POST, API + "/ack/batch", RouteAcls::ackBatch);
    row(HttpMethod.POST, API + "/transaction", RouteAcls::transaction);
    row(HttpMethod.POST, API + "/lease/:leaseId/extend", ROLE_ONLY);

    row(HttpMethod.GET, API + "/resources/overview", ROLE_ONLY);
    row(HttpMethod.GET, API + "/resources/queues", ROLE_ONLY);
    row(HttpMethod.GET, API + "/resources/queues/:queue", ctx -> topic(DESCRIBE, ctx.pathParam("queue")));
    row(HttpMethod.DELETE, API + "/resources/queues/:queue", ctx -> topic(DELETE, ctx.pathParam("queue")));
    row(HttpMethod.GET, API + "/resources/namespaces", ROLE_ONLY);
    row(HttpMethod.GET, API + "/resources/tasks", ROLE_ONLY);

    row(HttpMethod.GET, API + "/messages", ctx -> topic(DESCRIBE, ctx.queryParams().get("queue")));
    row(HttpMethod.GET, API + "/messages/:partitionId/:transactionId", ROLE_ONLY);
    row(HttpMethod.DELETE, API + "/messages/:partitionId/:transactionId", ROLE_ONLY);
    row(HttpMethod.GET, API + "/dlq", ROLE_ONLY);
    // a dead letter is named by partition id, as a message is
    row(HttpMethod.POST, API + "/dlq/:partitionId/:transactionId/requeue", ROLE_ONLY);
    row(HttpMethod.DELETE, API + "/dlq/:partitionId/:transactionId", ROLE_ONLY);

    // traces name messages by partition id, as acks do
    row(HttpMethod.POST, API + "/traces", ROLE_ONLY);
    row(HttpMethod.GET, API + "/traces/names", ROLE_ONLY);
    row(HttpMethod.GET, API + "/traces/by-name/:traceName", ROLE_ONLY);
    row(HttpMethod.GET, API + "/traces/:partitionId/:transactionId", ROLE_ONLY);

    row(HttpMethod.GET, GROUPS, ROLE_ONLY);
    row(HttpMethod.GET, GROUPS + "/lagging", ROLE_ONLY);
    row(HttpMethod.GET, GROUPS + "/:group", ctx -> group(DESCRIBE, ctx.pathParam("group")));
    row(HttpMethod.DELETE, GROUPS + "/:group", ctx -> group(DELETE, ctx.pathParam("group")));
    row(HttpMethod.DELETE, GROUPS + "/:group/queues/:queue", ctx -> group(DELETE, ctx.pathParam("group")));
    row(HttpMethod.POST, GROUPS + "/:group/subscription", ctx -> group(READ, ctx.pathParam("group")));
    row(HttpMethod.POST, GROUPS + "/:group/queues/:queue/seek", RouteAcls::seek);
    row(HttpMethod.POST, GROUPS + "/:group/queues/:queue/partitions/:partition/seek", RouteAcls::seek);

    // the dashboard's views: listings over every queue by role alone, as /resources/queues; one queue needs DESCRIBE
    row(HttpMethod.GET, API + "/status", ROLE_ONLY);
    row(HttpMethod.GET, API + "/status/queues", ROLE_ONLY);
    row(HttpMethod.GET, API + "/status/queues/:queue", ctx -> topic(DESCRIBE, ctx.pathParam("queue")));
    row(HttpMethod.GET, API + "/status/queues/:queue/messages", ctx -> topic(DESCRIBE, ctx.pathParam("queue")));
    row(HttpMethod.GET, API + "/status/analytics", ctx -> topic(DESCRIBE, ctx.queryParams().get("queue")));

    row(HttpMethod.GET, API + "/system/maintenance", ctx -> cluster(DESCRIBE));
    row(HttpMethod.POST, API + "/system/maintenance", ctx -> cluster(ALTER));
    row(HttpMethod.GET, API + "/system/maintenance/pop", ctx -> cluster(DESCRIBE));
    row(HttpMethod.POST, API + "/system/maintenance/pop", ctx -> cluster(ALTER));

    // Queen streams: registering reads the source and writes the sink; a cycle pushes (WRITE each sink) and commits
    // its group's position (group READ, as an ack); a state read names only ids, like an ack by partition id
    row(HttpMethod.POST, STREAMS + "/queries", RouteAcls::streamQuery);
    row(HttpMethod.POST, STREAMS + "/state/get", ROLE_ONLY);
    row(HttpMethod.POST, STREAMS + "/cycle", RouteAcls::streamCycle);
  }

  private RouteAcls() {}

  private static void row(HttpMethod method, String path, Function<RoutingContext, List<Need>> needs) {
    TABLE.put(method.name() + " " + path, needs);
  }

  /** Every row's {@code "METHOD /path/:param"}, in the table's order. */
  public static List<String> routes() {
    return Collections.unmodifiableList(new ArrayList<>(TABLE.keySet()));
  }

  /**
   * Mounts the ACL check of every row behind the role guards, when both authentication and the authorizer are on;
   * answers the routes mounted (which {@link RouteRoles#checkComplete} leaves out).
   */
  public static List<Route> guard(Router router, HttpAuth auth, AclPolicy acls) {
    List<Route> guards = new ArrayList<>();
    if (!auth.enabled() || !acls.enabled()) {
      return guards;
    }
    for (Map.Entry<String, Function<RoutingContext, List<Need>>> row : TABLE.entrySet()) {
      if (row.getValue() == ROLE_ONLY) {
        continue;
      }
      String[] methodAndPath = row.getKey().split(" ", 2);
      guards.add(router.route(HttpMethod.valueOf(methodAndPath[0]), methodAndPath[1])
          .handler(check(acls, row.getValue())));
    }
    return guards;
  }

  private static Handler<RoutingContext> check(AclPolicy acls, Function<RoutingContext, List<Need>> needs) {
    return ctx -> {
      HttpPrincipal principal = HttpPrincipal.of(ctx).orElse(null);
      if (principal == null || principal.role() == Role.ADMIN) {
        ctx.next(); // a skipped path; or the admin role, a super user
        return;
      }
      SocketAddress remote = ctx.request().remoteAddress();
      String host = remote == null || remote.hostAddress() == null ? "" : remote.hostAddress();
      for (Need need : needs.apply(ctx)) {
        if (!acls.allows(principal.aclName(), host, need.operation(), need.kind(), need.name())) {
          HttpErrors.send(ctx, 403, "Not authorized to " + need.operation() + " " + describe(need)
              + " (Kafka ACLs for " + principal.aclName() + ")");
          return;
        }
      }
      ctx.next();
    };
  }

  private static String describe(Need need) {
    switch (need.kind()) {
      case TOPIC:
        return "queue " + need.name();
      case GROUP:
        return "consumer group " + need.name();
      default:
        return need.kind().name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static List<Need> topic(AclOperation operation, String queue) {
    return queue == null ? List.of() : List.of(new Need(ResourceKind.TOPIC, queue, operation));
  }

  private static List<Need> group(AclOperation operation, String group) {
    return group == null || group.equals(PopRequest.QUEUE_MODE) ? List.of()
        : List.of(new Need(ResourceKind.GROUP, group, operation));
  }

  private static List<Need> cluster(AclOperation operation) {
    return List.of(new Need(ResourceKind.CLUSTER, ResourceKind.CLUSTER_NAME, operation));
  }

  private static List<Need> pop(RoutingContext ctx) {
    List<Need> needs = new ArrayList<>(topic(READ, ctx.pathParam("queue")));
    needs.addAll(group(READ, ctx.queryParams().get("consumerGroup")));
    return needs;
  }

  /** Each pushed item's queue; malformed items are left to the route, which refuses them with 400. */
  private static List<Need> pushed(JsonNode items) {
    List<Need> needs = new ArrayList<>();
    if (items != null && items.isArray()) {
      for (JsonNode item : items) {
        JsonNode queue = item.get("queue");
        if (queue != null && queue.isTextual()) {
          needs.add(new Need(ResourceKind.TOPIC, queue.textValue(), WRITE));
        }
      }
    }
    return needs;
  }

  private static List<Need> ackBatch(RoutingContext ctx) {
    ObjectNode body = Json.bodyObject(ctx);
    List<Need> needs = new ArrayList<>(group(READ, Json.optionalString(body, "consumerGroup")));
    JsonNode list = body.get("acknowledgments");
    if (list != null && list.isArray()) {
      list.forEach(ack -> needs.addAll(group(READ, ack.isObject() ? Json.optionalString(ack, "consumerGroup")
          : null)));
    }
    return needs;
  }

  private static List<Need> transaction(RoutingContext ctx) {
    List<Need> needs = new ArrayList<>();
    JsonNode operations = Json.bodyObject(ctx).get("operations");
    if (operations != null && operations.isArray()) {
      for (JsonNode op : operations) {
        if (!op.isObject()) {
          continue;
        }
        String type = Json.optionalString(op, "type");
        if ("push".equals(type)) {
          needs.addAll(pushed(op.get("items")));
        } else if ("ack".equals(type)) {
          needs.addAll(group(READ, Json.optionalString(op, "consumerGroup")));
        }
      }
    }
    return needs;
  }

  /** Moving a group's cursor on a queue: Kafka's offset commit, group READ and topic READ. */
  private static List<Need> seek(RoutingContext ctx) {
    List<Need> needs = new ArrayList<>(group(READ, ctx.pathParam("group")));
    needs.addAll(topic(READ, ctx.pathParam("queue")));
    return needs;
  }

  /** A stream query: READ of its source queue, WRITE of its sink queue. */
  private static List<Need> streamQuery(RoutingContext ctx) {
    ObjectNode body = streamBody(ctx);
    List<Need> needs = new ArrayList<>(topic(READ, textOrNull(body, "source_queue")));
    needs.addAll(topic(WRITE, textOrNull(body, "sink_queue")));
    return needs;
  }

  /** A stream cycle: WRITE of each sink queue pushed to, READ of the consumer group whose cursor it moves. */
  private static List<Need> streamCycle(RoutingContext ctx) {
    ObjectNode body = streamBody(ctx);
    List<Need> needs = new ArrayList<>(pushed(body.get("push_items")));
    JsonNode ack = body.get("ack");
    if (ack != null && ack.isObject()) {
      needs.addAll(group(READ, textOrNull(body, "consumer_group")));
    }
    return needs;
  }

  /** A streams body, or an empty object when it is malformed: the route refuses it with the streams' own 400. */
  private static ObjectNode streamBody(RoutingContext ctx) {
    try {
      return Json.bodyObject(ctx);
    } catch (RuntimeException malformed) {
      return Json.object();
    }
  }

  private static String textOrNull(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node != null && node.isTextual() && !node.textValue().isEmpty() ? node.textValue() : null;
  }
}
