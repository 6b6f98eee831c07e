package dev.queenj.http.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.queue.QueueOptions;
import dev.queenj.http.Json;
import dev.queenj.http.Names;
import dev.queenj.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /api/v1/configure}: overwrites every option (spec §3.1) and echoes them. */
public final class ConfigureRoutes {
  private final QueueCatalog queues;

  public ConfigureRoutes(QueueCatalog queues) {
    this.queues = queues;
  }

  public void mount(Router router) {
    router.post("/api/v1/configure").handler(this::configure);
  }

  private void configure(RoutingContext ctx) {
    ObjectNode body = Json.bodyObject(ctx);
    String name = Names.check("queue", Json.requiredString(body, "queue", "queue is required"));
    String namespace = Json.optionalString(body, "namespace");
    String task = Json.optionalString(body, "task");
    JsonNode options = body.get("options");
    if (options != null && !options.isNull() && !options.isObject()) {
      throw new InvalidRequestException("options must be an object");
    }
    QueueOptions parsed = parseOptions(options == null || options.isNull() ? Json.object() : options);
    Replies.ok(ctx, queues.configure(name, namespace == null ? "" : namespace, task == null ? "" : task, parsed)
        .map(ConfigureRoutes::render));
  }

  static QueueOptions parseOptions(JsonNode o) {
    QueueOptions d = QueueOptions.DEFAULTS;
    return new QueueOptions(integer(o, "leaseTime", d.leaseTime()), integer(o, "retryLimit", d.retryLimit()),
        integer(o, "retryDelay", d.retryDelay()), integer(o, "maxSize", d.maxSize()), integer(o, "ttl", d.ttl()),
        bool(o, "deadLetterQueue", d.deadLetterQueue()), bool(o, "dlqAfterMaxRetries", d.dlqAfterMaxRetries()),
        integer(o, "priority", d.priority()), integer(o, "delayedProcessing", d.delayedProcessing()),
        integer(o, "windowBuffer", d.windowBuffer()), integer(o, "retentionSeconds", d.retentionSeconds()),
        integer(o, "completedRetentionSeconds", d.completedRetentionSeconds()),
        bool(o, "retentionEnabled", d.retentionEnabled()), bool(o, "encryptionEnabled", d.encryptionEnabled()),
        integer(o, "maxWaitTimeSeconds", d.maxWaitTimeSeconds()));
  }

  private static int integer(JsonNode options, String field, int fallback) {
    JsonNode node = options.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new InvalidRequestException("options." + field + " must be an integer");
    }
    return node.intValue();
  }

  private static boolean bool(JsonNode options, String field, boolean fallback) {
    JsonNode node = options.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw new InvalidRequestException("options." + field + " must be a boolean");
    }
    return node.booleanValue();
  }

  private static ObjectNode render(Queue queue) {
    QueueOptions o = queue.options();
    ObjectNode out = Json.object().put("configured", true).put("queueId", queue.id().toString())
        .put("partitionId", QueueCatalog.defaultPartitionId(queue).toString()).put("queue", queue.name())
        .put("namespace", queue.namespace()).put("task", queue.task());
    out.putObject("options").put("leaseTime", o.leaseTime()).put("retryLimit", o.retryLimit())
        .put("retryDelay", o.retryDelay()).put("maxSize", o.maxSize()).put("ttl", o.ttl())
        .put("deadLetterQueue", o.deadLetterQueue()).put("dlqAfterMaxRetries", o.dlqAfterMaxRetries())
        .put("priority", o.priority()).put("delayedProcessing", o.delayedProcessing())
        .put("windowBuffer", o.windowBuffer()).put("retentionSeconds", o.retentionSeconds())
        .put("completedRetentionSeconds", o.completedRetentionSeconds())
        .put("retentionEnabled", o.retentionEnabled()).put("encryptionEnabled", o.encryptionEnabled())
        .put("maxWaitTimeSeconds", o.maxWaitTimeSeconds());
    return out;
  }
}
