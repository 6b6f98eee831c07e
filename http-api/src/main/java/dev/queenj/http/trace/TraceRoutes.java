package dev.queenj.http.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.trace.Paging;
import dev.queenj.core.trace.Trace;
import dev.queenj.core.trace.TraceEvent;
import dev.queenj.core.trace.TraceName;
import dev.queenj.core.trace.TraceService;
import dev.queenj.http.Json;
import dev.queenj.http.QueryParams;
import dev.queenj.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/traces}: record a trace event on a message (Queen's {@code msg.trace()}), read a message's events,
 * the events filed under a name, and the names in use. Field names in answers are Queen's (snake_case).
 */
public final class TraceRoutes {
  private static final String API = "/api/v1/traces";
  private final TraceService traces;

  public TraceRoutes(TraceService traces) {
    this.traces = traces;
  }

  public void mount(Router router) {
    router.post(API).handler(this::record);
    // mounted before the by-message route, whose two parameters would also match these paths
    router.get(API + "/names").handler(this::names);
    router.get(API + "/by-name/:traceName").handler(this::byName);
    router.get(API + "/:partitionId/:transactionId").handler(this::byMessage);
  }

  private void record(RoutingContext ctx) {
    ObjectNode body = Json.bodyObject(ctx);
    JsonNode data = body.get("data");
    TraceEvent event = new TraceEvent(uuid(Json.requiredString(body, "partitionId", "partitionId is required"),
        "partitionId"), Json.requiredString(body, "transactionId", "transactionId is required"),
        data == null ? null : data.toString(), Json.optionalString(body, "consumerGroup"),
        Json.optionalString(body, "eventType"), names(body.get("traceNames")));
    // a message that does not exist is a 200 with an error body, as the other routes naming a message answer
    Replies.ok(ctx, traces.record(event).map(id -> id
        .map(traceId -> Json.object().put("success", true).put("traceId", traceId.toString()))
        .orElseGet(() -> Json.object().put("success", false).put("error", "Message not found"))));
  }

  /** {@code traceNames}: one name or an array of names (Queen's client sends either). */
  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node == null || node.isNull()) {
      return names;
    }
    if (node.isTextual()) {
      names.add(node.textValue());
      return names;
    }
    if (!node.isArray()) {
      throw new InvalidRequestException("traceNames must be a string or an array of strings");
    }
    for (JsonNode name : node) {
      if (!name.isTextual()) {
        throw new InvalidRequestException("traceNames must be a string or an array of strings");
      }
      names.add(name.textValue());
    }
    return names;
  }

  private void byMessage(RoutingContext ctx) {
    String transactionId = ctx.pathParam("transactionId");
    Replies.ok(ctx, traces.byMessage(uuid(ctx.pathParam("partitionId"), "partitionId"), transactionId)
        .map(list -> {
          ObjectNode out = Json.object();
          ArrayNode items = out.putArray("traces");
          list.forEach(trace -> render(items.addObject(), trace));
          return out.put("count", list.size());
        }));
  }

  private void byName(RoutingContext ctx) {
    Paging paging = paging(ctx);
    Replies.ok(ctx, traces.byName(ctx.pathParam("traceName"), paging).map(page -> {
      ObjectNode out = Json.object();
      ArrayNode items = out.putArray("traces");
      for (Trace trace : page.traces()) {
        render(items.addObject(), trace).put("transaction_id", trace.transactionId())
            .put("partition_id", trace.partitionId().toString()).put("queue_name", trace.queue())
            .put("partition_name", trace.partition());
      }
      return paged(out, page.traces().size(), page.total(), paging);
    }));
  }

  private void names(RoutingContext ctx) {
    Paging paging = paging(ctx);
    Replies.ok(ctx, traces.names(paging).map(page -> {
      ObjectNode out = Json.object();
      ArrayNode items = out.putArray("trace_names");
      for (TraceName name : page.names()) {
        items.addObject().put("trace_name", name.name()).put("trace_count", name.traceCount())
            .put("message_count", name.messageCount()).put("last_seen", Json.time(name.lastSeen()));
      }
      return paged(out, page.names().size(), page.total(), paging);
    }));
  }

  private static ObjectNode render(ObjectNode node, Trace trace) {
    node.put("id", trace.id().toString()).put("event_type", trace.eventType());
    node.set("data", Json.raw(trace.data().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    node.put("consumer_group", trace.consumerGroup()).put("created_at", Json.time(trace.createdAt()));
    ArrayNode names = node.putArray("trace_names");
    trace.traceNames().forEach(names::add);
    return node;
  }

  private static ObjectNode paged(ObjectNode out, int count, long total, Paging paging) {
    out.put("count", count).put("total", total).put("limit", paging.limit()).put("offset", paging.offset());
    out.putObject("pagination").put("limit", paging.limit()).put("offset", paging.offset()).put("total", total);
    return out;
  }

  static Paging paging(RoutingContext ctx) {
    return new Paging(QueryParams.integer(ctx, "limit", Paging.DEFAULT_LIMIT), QueryParams.integer(ctx, "offset", 0));
  }

  private static UUID uuid(String text, String field) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(field + " must be a UUID, got '" + text + "'");
    }
  }
}
