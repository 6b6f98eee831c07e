package dev.queenj.http.resources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.resources.Counted;
import dev.queenj.core.resources.Distribution;
import dev.queenj.core.resources.MessageStats;
import dev.queenj.core.resources.Overview;
import dev.queenj.core.resources.PartitionStats;
import dev.queenj.core.resources.QueueGroupStats;
import dev.queenj.core.resources.QueueStats;
import dev.queenj.core.resources.ResourceService;
import dev.queenj.http.Json;
import dev.queenj.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code /api/v1/resources/...}: the overview, queues with their counts, namespaces and tasks, and deleting a queue.
 * The views over every queue answer from a shared recent read of the counts ({@link ResourceService}) and say how old
 * it is: {@code statsAge} in whole seconds and {@code statsReadAt}, when the read started. One queue's detail is
 * counted on request.
 */
public final class ResourceRoutes {
  private final ResourceService resources;
  private final QueueCatalog queues;

  public ResourceRoutes(ResourceService resources, QueueCatalog queues) {
    this.resources = resources;
    this.queues = queues;
  }

  public void mount(Router router) {
    router.get("/api/v1/resources/overview").handler(this::overview);
    router.get("/api/v1/resources/queues").handler(this::queues);
    router.get("/api/v1/resources/queues/:queue").handler(this::queue);
    router.get("/api/v1/resources/namespaces")
        .handler(ctx -> Replies.ok(ctx, resources.namespaces().map(all -> render(all, "namespaces", "namespace"))));
    router.get("/api/v1/resources/tasks")
        .handler(ctx -> Replies.ok(ctx, resources.tasks().map(all -> render(all, "tasks", "task"))));
    router.delete("/api/v1/resources/queues/:queue").handler(this::delete);
  }

  private void overview(RoutingContext ctx) {
    Replies.ok(ctx, resources.overview().map(ResourceRoutes::renderOverview));
  }

  private void queues(RoutingContext ctx) {
    Replies.ok(ctx, resources.queues().map(ResourceRoutes::renderQueues));
  }

  private void queue(RoutingContext ctx) {
    // A missing queue is a 200 with an error body: that is what Queen sends on the wire.
    Replies.ok(ctx, resources.queue(ctx.pathParam("queue")).map(found -> found
        .map(ResourceRoutes::renderDetail)
        .orElseGet(() -> Json.object().put("error", "Queue not found"))));
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("queue");
    Replies.ok(ctx, queues.delete(name)
        .map(existed -> Json.object().put("deleted", true).put("queue", name).put("existed", existed)));
  }

  private static ObjectNode renderOverview(Counted<Overview> counted) {
    Overview o = counted.value();
    ObjectNode out = Json.object().put("queues", o.queues()).put("partitions", o.partitions())
        .put("namespaces", o.namespaces()).put("tasks", o.tasks());
    out.set("messages", stats(o.messages()));
    ObjectNode lag = out.putObject("lag");
    lag.set("time", distribution(o.timeLag()));
    lag.set("offset", distribution(o.offsetLag()));
    out.putObject("throughput").put("ingestedPerSecond", o.ingestedPerSecond());
    return age(out, counted).put("timestamp", Json.time(o.timestamp()));
  }

  /** How old the counts are: whole seconds since the shared read started, and when it did. */
  private static ObjectNode age(ObjectNode out, Counted<?> counted) {
    Duration age = Duration.between(counted.readAt(), OffsetDateTime.now(ZoneOffset.UTC));
    return out.put("statsAge", Math.max(0, age.toSeconds())).put("statsReadAt", Json.time(counted.readAt()));
  }

  private static ObjectNode renderQueues(Counted<List<QueueStats>> counted) {
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("queues");
    for (QueueStats q : counted.value()) {
      MessageStats totals = q.totals();
      ObjectNode node = identity(list.addObject(), q.queue()).put("partitions", q.partitions().size());
      node.putObject("messages").put("total", totals.total()).put("pending", totals.pending())
          .put("processing", totals.processing());
    }
    return age(out, counted);
  }

  /** Spec §3: {@code {namespaces:[{namespace,queues,partitions,messages:{total,pending}}]}}, the same for tasks. */
  private static ObjectNode render(Counted<List<QueueGroupStats>> groups, String listName, String keyName) {
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray(listName);
    for (QueueGroupStats g : groups.value()) {
      ObjectNode node = list.addObject().put(keyName, g.name()).put("queues", g.queues())
          .put("partitions", g.partitions());
      node.set("messages", stats(g.messages()));
    }
    return age(out, groups);
  }

  private static ObjectNode renderDetail(QueueStats q) {
    ObjectNode out = identity(Json.object(), q.queue());
    ArrayNode partitions = out.putArray("partitions");
    for (PartitionStats p : q.partitions()) {
      ObjectNode node = partitions.addObject().put("id", p.id().toString()).put("name", p.name())
          .put("createdAt", Json.time(p.createdAt()));
      node.set("stats", stats(p.stats()));
      node.put("oldestMessage", Json.time(p.oldestMessage())).put("newestMessage", Json.time(p.newestMessage()));
    }
    out.set("totals", stats(q.totals()));
    return out;
  }

  private static ObjectNode identity(ObjectNode node, Queue queue) {
    return node.put("id", queue.id().toString()).put("name", queue.name()).put("namespace", queue.namespace())
        .put("task", queue.task()).put("createdAt", Json.time(queue.createdAt()));
  }

  private static ObjectNode stats(MessageStats s) {
    return Json.object().put("total", s.total()).put("pending", s.pending()).put("processing", s.processing())
        .put("completed", s.completed()).put("failed", s.failed()).put("deadLetter", s.deadLetter());
  }

  private static ObjectNode distribution(Distribution d) {
    return Json.object().put("avg", d.avg()).put("median", d.median()).put("min", d.min()).put("max", d.max());
  }
}
