package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.client.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * One partition's batch turned into one cycle body (spec §3.2): the chain is applied to the messages in
 * (createdAt, id) order; a window's records are folded into the partition's state ({@link WindowFold}), the windows
 * that closed are emitted and their rows deleted; the last message is acked with the batch's count and the lease
 * released. An idle flush's cycle ({@link #flush}) closes ripe windows of a quiet partition without an ack.
 */
final class PartitionCycle {
  private PartitionCycle() {
  }

  /** {@code state}: every state row of the partition (key → value), as read before the batch. */
  static ObjectNode build(Stream stream, String queryId, List<Message> batch, Map<String, JsonNode> state) {
    return build(stream, queryId, batch, state, late -> { });
  }

  /** As {@link #build(Stream, String, List, Map)}; {@code onLate} hears how many records were dropped as late. */
  static ObjectNode build(Stream stream, String queryId, List<Message> batch, Map<String, JsonNode> state,
      IntConsumer onLate) {
    List<Message> messages = new ArrayList<>(batch);
    messages.sort(Comparator.comparing(Message::createdAt).thenComparing(Message::id));
    Message last = messages.get(messages.size() - 1);
    List<Stage.Keyed> results = new ArrayList<>();
    List<ObjectNode> stateOps = new ArrayList<>();
    WindowAggregation window = stream.window();
    if (window == null) {
      messages.forEach(message -> {
        Stage.Keyed record = through(stream.before(), new Stage.Keyed(message.partition(), message.data()));
        if (record != null) {
          results.add(record);
        }
      });
    } else {
      WindowFold.Outcome outcome = fold(stream, window, messages, state);
      stateOps.addAll(outcome.stateOps());
      results.addAll(outcome.results());
      onLate.accept(outcome.late());
    }
    ObjectNode cycle = body(stream, queryId, last.partitionId(), last.consumerGroup(), last.partition(), stateOps,
        results);
    cycle.set("ack", StreamJson.object().put("transactionId", last.transactionId()).put("leaseId", last.leaseId())
        .put("status", "completed").put("count", messages.size()));
    return cycle.put("release_lease", true);
  }

  /**
   * The ack-less cycle of an idle flush (spec §3 item 4), or null when nothing is ripe: {@code rows} are the ripe
   * rows (and the watermark) read for the partition, {@code nowMs} the runner's clock, which becomes the
   * partition's watermark so a record arriving later for a flushed window is late rather than emitted again.
   */
  static ObjectNode flush(Stream stream, String queryId, String partitionId, String consumerGroup, String partition,
      Map<String, JsonNode> rows, long nowMs) {
    WindowFold.Outcome outcome = WindowFold.apply(stream.window(), List.of(), rows, nowMs);
    if (outcome.results().isEmpty()) {
      return null;
    }
    return body(stream, queryId, partitionId, consumerGroup, partition, outcome.stateOps(), outcome.results())
        .putNull("ack");
  }

  private static WindowFold.Outcome fold(Stream stream, WindowAggregation window, List<Message> messages,
      Map<String, JsonNode> state) {
    List<WindowFold.Timed> records = new ArrayList<>();
    long clock = Long.MIN_VALUE;
    for (Message message : messages) {
      if (window.eventTime() == null) {
        clock = Math.max(clock, message.createdAt().toEpochMilli()); // filtered messages move createdAt time too
      }
      Stage.Keyed record = through(stream.before(), new Stage.Keyed(message.partition(), message.data()));
      if (record != null) {
        long time = window.eventTime() == null ? message.createdAt().toEpochMilli()
            : window.eventTime().applyAsLong(message.data());
        records.add(new WindowFold.Timed(record, time));
      }
    }
    return WindowFold.apply(window, records, state, clock);
  }

  /** The cycle without its ack: state ops, and the results through the stages after the window to the sink. */
  private static ObjectNode body(Stream stream, String queryId, String partitionId, String consumerGroup,
      String partition, List<ObjectNode> stateOps, List<Stage.Keyed> results) {
    ArrayNode pushItems = StreamJson.MAPPER.createArrayNode();
    if (stream.sink() != null) {
      for (Stage.Keyed result : results) {
        Stage.Keyed out = through(stream.after(), result);
        if (out != null) {
          JsonNode payload = out.value().isObject() ? out.value() : StreamJson.object().set("value", out.value());
          pushItems.add(StreamJson.object().put("queue", stream.sink()).put("partition", partition)
              .set("payload", payload));
        }
      }
    }
    ObjectNode cycle = StreamJson.object().put("query_id", queryId).put("partition_id", partitionId)
        .put("consumer_group", consumerGroup);
    cycle.putArray("state_ops").addAll(stateOps);
    cycle.set("push_items", pushItems);
    return cycle;
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
