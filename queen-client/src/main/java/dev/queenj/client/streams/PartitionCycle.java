package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.client.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One partition's batch turned into one cycle body (spec §3.2): the chain is applied to the messages in
 * (createdAt, id) order; windows whose end the event-time watermark passed are emitted and deleted, the others
 * upserted; the last message is acked with the batch's count and the lease released.
 */
final class PartitionCycle {
  static final String WATERMARK = "__wm__";

  private PartitionCycle() {
  }

  /** {@code state}: every state row of the partition (key → value), as read before the batch. */
  static ObjectNode build(Stream stream, String queryId, List<Message> batch, Map<String, JsonNode> state) {
    List<Message> messages = new ArrayList<>(batch);
    messages.sort(Comparator.comparing(Message::createdAt).thenComparing(Message::id));
    Message last = messages.get(messages.size() - 1);
    ArrayNode stateOps = StreamJson.MAPPER.createArrayNode();
    List<Stage.Keyed> results = new ArrayList<>();
    TumblingWindow window = stream.window();
    if (window == null) {
      messages.forEach(message -> {
        Stage.Keyed record = through(stream.before(), new Stage.Keyed(message.partition(), message.data()));
        if (record != null) {
          results.add(record);
        }
      });
    } else {
      fold(stream, window, messages, new TreeMap<>(state), stateOps, results);
    }
    ArrayNode pushItems = StreamJson.MAPPER.createArrayNode();
    if (stream.sink() != null) {
      for (Stage.Keyed result : results) {
        Stage.Keyed out = through(stream.after(), result);
        if (out != null) {
          JsonNode payload = out.value().isObject() ? out.value() : StreamJson.object().set("value", out.value());
          pushItems.add(StreamJson.object().put("queue", stream.sink()).put("partition", last.partition())
              .set("payload", payload));
        }
      }
    }
    ObjectNode cycle = StreamJson.object().put("query_id", queryId).put("partition_id", last.partitionId())
        .put("consumer_group", last.consumerGroup());
    cycle.set("state_ops", stateOps);
    cycle.set("push_items", pushItems);
    cycle.set("ack", StreamJson.object().put("transactionId", last.transactionId()).put("leaseId", last.leaseId())
        .put("status", "completed").put("count", messages.size()));
    return cycle.put("release_lease", true);
  }

  private static void fold(Stream stream, TumblingWindow window, List<Message> messages, TreeMap<String, JsonNode> rows,
      ArrayNode stateOps, List<Stage.Keyed> results) {
    JsonNode mark = rows.get(WATERMARK);
    long watermark = mark == null ? Long.MIN_VALUE : mark.path("eventTimeMs").asLong(Long.MIN_VALUE);
    long seen = watermark;
    Map<String, JsonNode> touched = new LinkedHashMap<>();
    for (Message message : messages) {
      Stage.Keyed record = through(stream.before(), new Stage.Keyed(message.partition(), message.data()));
      long eventTime = message.createdAt().toEpochMilli();
      seen = Math.max(seen, eventTime);
      if (record == null) {
        continue;
      }
      long start = window.start(eventTime);
      if (start + window.size() <= watermark) {
        continue; // late: its window was emitted by an earlier batch
      }
      String key = window.stateKey(start, record.key());
      JsonNode row = rows.get(key);
      ObjectNode next = StreamJson.object();
      next.set("acc", window.add(row == null ? null : row.get("acc"), record.value()));
      next.put("windowStart", start).put("windowEnd", start + window.size());
      rows.put(key, next);
      touched.put(key, next);
    }
    for (Map.Entry<String, JsonNode> row : rows.entrySet()) {
      String userKey = window.userKey(row.getKey());
      long end = row.getValue().path("windowEnd").asLong(Long.MAX_VALUE);
      if (userKey == null) {
        continue;
      }
      if (end <= seen) {
        JsonNode value = row.getValue();
        ObjectNode result = StreamJson.object().put("key", userKey).put("windowStart", value.path("windowStart")
            .asLong()).put("windowEnd", end);
        result.set("value", value.get("acc"));
        results.add(new Stage.Keyed(userKey, result));
        stateOps.add(StreamJson.object().put("type", "delete").put("key", row.getKey()));
        touched.remove(row.getKey());
      }
    }
    touched.forEach((key, value) -> stateOps.add(StreamJson.object().put("type", "upsert").put("key", key)
        .set("value", value)));
    if (seen != watermark) {
      stateOps.add(StreamJson.object().put("type", "upsert").put("key", WATERMARK)
          .set("value", StreamJson.object().put("eventTimeMs", seen)));
    }
  }

  private static Stage.Keyed through(List<Stage> stages, Stage.Keyed record) {
    Stage.Keyed current = record;
    for (Stage stage : stages) {
      current = stage.apply(current);
      if (current == null) {
        return null;
      }
    }
    return current;
  }
}
