package dev.queenj.http.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.QueenCore;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.error.OperationRejectedException;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.push.PushOutcome;
import dev.queenj.core.storage.PostgresError;
import dev.queenj.core.streams.CycleAck;
import dev.queenj.core.streams.CycleRequest;
import dev.queenj.core.streams.CycleResult;
import dev.queenj.core.streams.StateFilter;
import dev.queenj.core.streams.StateOp;
import dev.queenj.core.streams.StateRow;
import dev.queenj.http.HttpMetrics;
import dev.queenj.http.Json;
import dev.queenj.http.Replies;
import dev.queenj.http.auth.HttpPrincipal;
import dev.queenj.http.push.PushItems;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Queen streams' three routes (spec queen-streams.md §2), POST only: register a query, read its state, commit a
 * cycle. A cycle the state refuses answers 200 {@code success:false} having committed nothing; bad input is a 400.
 */
public final class StreamRoutes {
  public static final String BASE = "/streams/v1";
  private static final String DEFAULT_GROUP = "__QUEUE_MODE__";

  private final QueenCore core;
  private final HttpMetrics metrics;

  public StreamRoutes(QueenCore core, HttpMetrics metrics) {
    this.core = core;
    this.metrics = metrics;
  }

  public void mount(Router router) {
    router.post(BASE + "/queries").handler(this::register);
    router.post(BASE + "/state/get").handler(this::stateGet);
    router.post(BASE + "/cycle").handler(this::cycle);
  }

  private void register(RoutingContext ctx) {
    ObjectNode body = StreamBody.object(ctx);
    String name = StreamBody.required(body, "name");
    String source = StreamBody.required(body, "source_queue");
    String hash = StreamBody.required(body, "config_hash");
    String sink = StreamBody.optional(body, "sink_queue");
    boolean reset = StreamBody.bool(body, "reset", false, true);
    core.streamQueries().register(name, source, sink, hash, reset).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      var registration = done.result();
      if (registration.conflict()) {
        Replies.json(ctx, 409, Json.object().put("success", false)
            .put("query_id", registration.queryId().toString()).put("name", name)
            .put("error", "config_hash mismatch: query '" + name + "' is registered with another config_hash; "
                + "register with reset:true to wipe its state and store the new hash, or use a new name"));
        return;
      }
      Replies.json(ctx, 200, Json.object().put("success", true).put("query_id", registration.queryId().toString())
          .put("name", name).put("config_hash", hash).put("fresh", registration.fresh())
          .put("reset", registration.reset()));
    });
  }

  private void stateGet(RoutingContext ctx) {
    ObjectNode body = StreamBody.object(ctx);
    UUID queryId = uuid(StreamBody.required(body, "query_id"), "query_id");
    UUID partitionId = uuid(StreamBody.required(body, "partition_id"), "partition_id");
    StateFilter filter = new StateFilter(keys(body.get("keys")), StreamBody.optional(body, "key_prefix"),
        ripe(body.get("ripe_at_or_before")));
    Replies.ok(ctx, core.streamState().read(queryId, partitionId, filter).map(rows -> {
      ObjectNode out = Json.object().put("success", true);
      ArrayNode list = out.putArray("rows");
      for (StateRow row : rows) {
        ObjectNode item = list.addObject().put("key", row.key());
        item.set("value", Json.raw(row.valueJson().getBytes(StandardCharsets.UTF_8)));
        item.put("updated_at", Json.time(row.updatedAt()));
      }
      return out;
    }));
  }

  private void cycle(RoutingContext ctx) {
    ObjectNode body = StreamBody.object(ctx);
    String queryText = StreamBody.required(body, "query_id");
    String partitionText = StreamBody.required(body, "partition_id");
    String group = StreamBody.optional(body, "consumer_group");
    List<StateOp> ops = new ArrayList<>();
    String badType = stateOps(body.get("state_ops"), ops);
    List<PushItem> pushes = pushItems(body.get("push_items"), HttpPrincipal.producerSub(ctx));
    JsonNode ackNode = body.get("ack");
    boolean release = StreamBody.bool(body, "release_lease", true, false);
    String badStatus = null;
    CycleAck ack = null;
    if (ackNode != null && !ackNode.isNull()) {
      if (!ackNode.isObject()) {
        throw new InvalidRequestException("ack must be an object");
      }
      String transactionId = StreamBody.required(ackNode, "transactionId");
      String status = StreamBody.optional(ackNode, "status");
      String wire = status == null ? "completed" : status.toLowerCase(Locale.ROOT);
      boolean dlq = wire.equals("failed") || wire.equals("dlq");
      if (!dlq && !wire.equals("completed") && !wire.equals("success")) {
        badStatus = status;
      }
      ack = new CycleAck(transactionId, StreamBody.optional(ackNode, "leaseId"),
          group == null ? DEFAULT_GROUP : group, dlq, count(ackNode.get("count")), StreamBody.optional(ackNode,
          "error"));
    }
    UUID queryId = StreamBody.uuidOrNull(queryText);
    UUID partitionId = StreamBody.uuidOrNull(partitionText);
    String refusal = badType != null ? "Unknown state_op type: " + badType
        : badStatus != null ? "Unknown ack.status: " + badStatus
        : queryId == null ? "invalid input syntax for type uuid: \"" + queryText + "\""
        : partitionId == null ? "invalid input syntax for type uuid: \"" + partitionText + "\""
        : null;
    if (refusal != null) {
      Replies.json(ctx, 200, failed(queryText, partitionText, refusal));
      return;
    }
    CycleRequest request = new CycleRequest(queryId, partitionId, ops, pushes, ack, release);
    Future<ObjectNode> answer = core.streamCycles().commit(request)
        .map(result -> {
          count(result);
          return succeeded(queryText, partitionText, result);
        })
        .recover(failure -> {
          if (failure instanceof OperationRejectedException rejected) {
            return Future.succeededFuture(failed(queryText, partitionText, rejected.getMessage()));
          }
          Optional<PostgresError> refused = PostgresError.of(failure);
          if (refused.isPresent()) {
            return Future.succeededFuture(failed(queryText, partitionText, refused.get().message()));
          }
          return Future.failedFuture(failure);
        });
    Replies.ok(ctx, answer);
  }

  /** A committed cycle counts as a native push to the sink and an ack of {@code count} source messages. */
  private void count(CycleResult result) {
    if (!result.pushes().isEmpty()) {
      metrics.pushRequest((int) result.pushes().stream().filter(outcome -> !outcome.duplicate()).count());
    }
    if (result.ack() != null) {
      metrics.ackRequest(result.ack().count());
    }
  }

  /** Fills {@code ops}; answers the first unknown op type (the cycle then fails), else null. */
  private static String stateOps(JsonNode list, List<StateOp> ops) {
    if (list == null || list.isNull()) {
      return null;
    }
    if (!list.isArray()) {
      throw new InvalidRequestException("state_ops must be an array");
    }
    String badType = null;
    for (JsonNode op : list) {
      if (!op.isObject()) {
        throw new InvalidRequestException("each state_op must be an object");
      }
      String key = requiredKey(op);
      JsonNode type = op.get("type");
      String text = type != null && type.isTextual() ? type.textValue() : String.valueOf(type);
      if ("upsert".equals(text)) {
        JsonNode value = op.get("value");
        ops.add(StateOp.upsert(key, value == null ? "{}" : Json.encode(value).toString()));
      } else if ("delete".equals(text)) {
        ops.add(StateOp.delete(key));
      } else if (badType == null) {
        badType = text;
      }
    }
    return badType;
  }

  private static String requiredKey(JsonNode op) {
    JsonNode key = op.get("key");
    if (key == null || !key.isTextual()) {
      throw new InvalidRequestException("key is required");
    }
    return key.textValue();
  }

  private static List<PushItem> pushItems(JsonNode list, String producerSub) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new InvalidRequestException("push_items must be an array");
    }
    return PushItems.parse(list, producerSub);
  }

  private static int count(JsonNode count) {
    if (count == null || count.isNull()) {
      return 1;
    }
    if (!count.canConvertToInt() || !count.isIntegralNumber() || count.intValue() < 0) {
      throw new InvalidRequestException("count must be a non-negative integer");
    }
    return count.intValue();
  }

  private static List<String> keys(JsonNode keys) {
    if (keys == null || !keys.isArray() || keys.isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>(keys.size());
    for (JsonNode key : keys) {
      if (!key.isTextual()) {
        throw new InvalidRequestException("keys must be an array of strings");
      }
      out.add(key.textValue());
    }
    return out;
  }

  private static BigDecimal ripe(JsonNode ripe) {
    return ripe != null && ripe.isNumber() ? ripe.decimalValue() : null;
  }

  private static UUID uuid(String text, String field) {
    UUID id = StreamBody.uuidOrNull(text);
    if (id == null) {
      throw new InvalidRequestException(field + " must be a UUID");
    }
    return id;
  }

  private static ObjectNode succeeded(String queryId, String partitionId, CycleResult result) {
    ObjectNode out = Json.object().put("success", true).put("query_id", queryId).put("partition_id", partitionId)
        .put("queueName", result.queueName()).put("state_ops_applied", result.stateOpsApplied());
    List<PushOutcome> pushes = result.pushes();
    out.set("push_results", PushItems.render(pushes));
    CycleResult.AckResult ack = result.ack();
    if (ack == null) {
      out.putNull("ack_result");
    } else {
      out.putObject("ack_result").put("success", true).put("count", ack.count())
          .put("lease_released", ack.leaseReleased()).put("dlq", ack.dlq());
    }
    return out;
  }

  /** Nothing was committed, so nothing is reported as applied; the lease stays. */
  private static ObjectNode failed(String queryId, String partitionId, String error) {
    ObjectNode out = Json.object().put("success", false).put("query_id", queryId).put("partition_id", partitionId)
        .putNull("queueName").put("state_ops_applied", 0);
    out.putArray("push_results");
    out.putNull("ack_result");
    out.put("error", error);
    return out;
  }
}
