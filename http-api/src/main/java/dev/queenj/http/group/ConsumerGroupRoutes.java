package dev.queenj.http.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.group.ConsumerGroupService;
import dev.queenj.core.group.GroupProtocol;
import dev.queenj.core.group.GroupSummary;
import dev.queenj.core.group.PartitionLag;
import dev.queenj.core.group.SeekTarget;
import dev.queenj.http.Json;
import dev.queenj.http.QueryParams;
import dev.queenj.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code /api/v1/consumer-groups/...}: lag per group, deleting groups, moving their subscriptions and cursors. Kafka
 * consumer groups are listed with Queen's, marked {@code "protocol":"kafka"}; of the actions they take only deletion
 * ({@code ?protocol=kafka}), refused while the group may have live members.
 */
public final class ConsumerGroupRoutes {
  static final int DEFAULT_MIN_LAG_SECONDS = 3600;
  private static final String BASE = "/api/v1/consumer-groups";
  private final ConsumerGroupService groups;

  public ConsumerGroupRoutes(ConsumerGroupService groups) {
    this.groups = groups;
  }

  public void mount(Router router) {
    router.get(BASE).handler(this::list);
    // before "/:group", which would otherwise read "lagging" as a group name
    router.get(BASE + "/lagging").handler(this::lagging);
    router.get(BASE + "/:group").handler(this::detail);
    router.delete(BASE + "/:group").handler(ctx -> delete(ctx, null));
    router.delete(BASE + "/:group/queues/:queue").handler(ctx -> delete(ctx, ctx.pathParam("queue")));
    router.post(BASE + "/:group/subscription").handler(this::subscription);
    router.post(BASE + "/:group/queues/:queue/seek").handler(this::seek);
    router.post(BASE + "/:group/queues/:queue/partitions/:partition/seek").handler(this::seekPartition);
  }

  private void list(RoutingContext ctx) {
    Replies.ok(ctx, groups.summaries().map(ConsumerGroupRoutes::render));
  }

  private void lagging(RoutingContext ctx) {
    int minLagSeconds = QueryParams.integer(ctx, "minLagSeconds", DEFAULT_MIN_LAG_SECONDS);
    if (minLagSeconds < 0) {
      throw new InvalidRequestException("minLagSeconds must not be negative");
    }
    Replies.ok(ctx, groups.lagging(minLagSeconds).map(lags -> {
      ArrayNode out = Json.array();
      for (PartitionLag p : lags) {
        out.addObject().put("consumerGroup", p.consumerGroup()).put("queue", p.queue())
            .put("partition", p.partition())
            .put("partitionId", p.partitionId() == null ? null : p.partitionId().toString())
            .put("workerId", p.workerId()).put("offsetLag", p.offsetLag()).put("timeLagSeconds", p.timeLagSeconds())
            .put("leaseActive", p.leaseActive()).put("protocol", p.protocol().wireName());
      }
      return out;
    }));
  }

  private void detail(RoutingContext ctx) {
    Replies.ok(ctx, groups.lagWithKafka(ctx.pathParam("group")).map(ConsumerGroupRoutes::renderDetail));
  }

  private void delete(RoutingContext ctx, String queue) {
    String group = ctx.pathParam("group");
    if (protocol(ctx) == GroupProtocol.KAFKA) {
      if (queue != null) {
        throw new InvalidRequestException("a Kafka consumer group is deleted whole, as Kafka's DeleteGroups does: "
            + "DELETE /api/v1/consumer-groups/:group?protocol=kafka");
      }
      if (ctx.queryParams().contains("deleteMetadata")) {
        throw new InvalidRequestException("deleteMetadata applies to Queen groups only");
      }
      Replies.ok(ctx, groups.deleteKafka(group).map(deleted -> Json.object().put("success", true)
          .put("consumerGroup", group).put("protocol", GroupProtocol.KAFKA.wireName())
          .put("deletedOffsets", deleted)));
      return;
    }
    boolean deleteMetadata = QueryParams.bool(ctx, "deleteMetadata", true);
    Replies.ok(ctx, groups.delete(group, queue, deleteMetadata).map(deletion -> {
      ObjectNode out = Json.object().put("success", true).put("consumerGroup", group);
      if (queue != null) {
        out.put("queueName", queue);
      }
      return out.put("deletedPartitions", deletion.deletedPartitions())
          .put("metadataDeleted", deletion.metadataDeleted());
    }));
  }

  /** The {@code protocol} query parameter: queen (the default) or kafka. */
  private static GroupProtocol protocol(RoutingContext ctx) {
    String given = ctx.queryParams().get("protocol");
    if (given == null) {
      return GroupProtocol.QUEEN;
    }
    for (GroupProtocol p : GroupProtocol.values()) {
      if (p.wireName().equals(given)) {
        return p;
      }
    }
    throw new InvalidRequestException("protocol must be queen or kafka");
  }

  private void subscription(RoutingContext ctx) {
    String group = ctx.pathParam("group");
    String text = Json.requiredString(Json.bodyObject(ctx), "subscriptionTimestamp",
        "subscriptionTimestamp is required (ISO-8601)");
    OffsetDateTime start = Json.parseTime(text, "subscriptionTimestamp");
    Replies.ok(ctx, groups.updateSubscription(group, start).map(updated -> Json.object().put("success", true)
        .put("consumerGroup", group).put("newTimestamp", Json.time(start)).put("rowsUpdated", updated)));
  }

  private void seek(RoutingContext ctx) {
    ObjectNode body = Json.bodyObject(ctx);
    JsonNode toEnd = body.get("toEnd");
    if (toEnd != null && !toEnd.isNull() && !toEnd.isBoolean()) {
      throw new InvalidRequestException("toEnd must be a boolean");
    }
    String timestamp = Json.optionalString(body, "timestamp");
    SeekTarget target;
    // toEnd wins over a timestamp given with it, as in Queen.
    if (toEnd != null && toEnd.booleanValue()) {
      target = new SeekTarget.End();
    } else if (timestamp != null) {
      target = new SeekTarget.Time(Json.parseTime(timestamp, "timestamp"));
    } else {
      throw new InvalidRequestException("either toEnd:true or timestamp (ISO-8601) is required");
    }
    answerSeek(ctx, null, target);
  }

  private void seekPartition(RoutingContext ctx) {
    // the body carries nothing this route uses, but a malformed one is still refused
    Json.optionalBodyObject(ctx);
    answerSeek(ctx, ctx.pathParam("partition"), new SeekTarget.End());
  }

  private void answerSeek(RoutingContext ctx, String partition, SeekTarget target) {
    String group = ctx.pathParam("group");
    String queue = ctx.pathParam("queue");
    OffsetDateTime at = target instanceof SeekTarget.Time time ? time.at() : null;
    Replies.ok(ctx, groups.seek(group, queue, partition, target).map(moved -> {
      ObjectNode out = Json.object().put("success", true).put("consumerGroup", group).put("queueName", queue);
      if (partition != null) {
        out.put("partitionName", partition);
      }
      return out.put("seekToEnd", at == null).put("targetTimestamp", Json.time(at)).put("partitionsUpdated", moved);
    }));
  }

  private static ArrayNode render(List<GroupSummary> summaries) {
    ArrayNode out = Json.array();
    for (GroupSummary g : summaries) {
      ObjectNode node = out.addObject().put("name", g.name());
      node.putArray("topics").add(g.queue());
      node.put("queueName", g.queue()).put("members", g.members()).put("partitionsWithLag", g.partitionsWithLag())
          .put("totalLag", g.totalLag()).put("maxTimeLag", g.maxTimeLagSeconds()).put("state", g.state().wireName())
          .put("subscriptionMode", g.subscriptionMode())
          .put("subscriptionTimestamp", Json.time(g.subscriptionStart())).put("protocol", g.protocol().wireName());
    }
    return out;
  }

  private static ObjectNode renderDetail(List<PartitionLag> lags) {
    ObjectNode out = Json.object();
    for (PartitionLag p : lags) {
      out.withObjectProperty(p.queue()).withArrayProperty("partitions").addObject()
          .put("partition", p.partition()).put("workerId", p.workerId())
          .put("lastConsumedAt", Json.time(p.lastConsumedAt())).put("totalConsumed", p.totalConsumed())
          .put("offsetLag", p.offsetLag()).put("timeLagSeconds", p.timeLagSeconds())
          .put("leaseActive", p.leaseActive()).put("protocol", p.protocol().wireName());
    }
    return out;
  }
}
