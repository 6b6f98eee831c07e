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

  /**
   * {@code state}: every state row of the partition (key → value), as read before the batch. A gated stream's
   * cycle is null when its gate allowed nothing (no cycle is sent).
   */
  static ObjectNode build(Stream stream, String queryId, List<Message> batch, Map<String, JsonNode> state) {
    return build(stream, queryId, batch, state, late -> { });
  }

  /** As {@link #build(Stream, String, List, Map)}; {@code onLate} hears how many records were dropped as late. */
  static ObjectNode build(Stream stream, String queryId, List<Message> batch, Map<String, JsonNode> state,
      IntConsumer onLate) {
    List<Message> messages = new ArrayList<>(batch);
    messages.sort(Comparator.comparing(Message::createdAt).thenComparing(Message::id));
    if (stream.gate() != null) {
      return GateCycle.build(stream, queryId, messages, state, System.currentTimeMillis());
    }
    Message last = messages.get(messages.size() - 1);
    List<Stage.Keyed> results = new ArrayList<>();
    List<ObjectNode> stateOps = new ArrayList<>();
    WindowAggregation window = stream.window();
    if (window == null) {
      messages.forEach(message -> results.addAll(through(stream.before(), source(message), null)));
    } else {
      WindowFold.Outcome outcome = fold(stream, window, messages, state);
      stateOps.addAll(outcome.stateOps());
      results.addAll(outcome.results());
      onLate.accept(outcome.late());
    }
    ObjectNode cycle = body(stream, queryId, last.partitionId(), last.consumerGroup(), last.partition(), stateOps,
        results);
    cycle.set("ack", ack(last, messages.size()));
    return cycle.put("release_lease", true);
  }

  /** The ack of {@code count} messages up to {@code last} (spec §3.2). */
  static ObjectNode ack(Message last, int count) {
    return StreamJson.object().put("transactionId", last.transactionId()).put("leaseId", last.leaseId())
        .put("status", "completed").put("count", count);
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
      for (Stage.Keyed record : through(stream.before(), source(message), null)) {
        long time = window.eventTime() == null ? message.createdAt().toEpochMilli()
            : window.eventTime().applyAsLong(message.data());
        records.add(new WindowFold.Timed(record, time));
      }
    }
    return WindowFold.apply(window, records, state, clock);
  }

  /**
   * The cycle without its ack: state ops, and the results through the stages after the window or gate to the
   * terminal: sink push items, or the foreach action run on each (here, before the cycle is sent). As in Queen's
   * SDKs, a window's result is its aggregate, pushed as is when it is an object and as {@code {"value":v}} when not;
   * its key and bounds reach the stages and the action only through their {@link EmitContext}.
   */
  static ObjectNode body(Stream stream, String queryId, String partitionId, String consumerGroup,
      String partition, List<ObjectNode> stateOps, List<Stage.Keyed> results) {
    ArrayNode pushItems = StreamJson.MAPPER.createArrayNode();
    Stream.Terminal terminal = stream.terminal();
    for (Stage.Keyed result : results) {
      EmitContext context = EmitContext.of(partition, partitionId, result);
      for (Stage.Keyed out : through(stream.after(), result, context)) {
        if (terminal == null) {
          continue;
        }
        if (terminal.foreach() != null) {
          terminal.foreach().accept(out.value(), context);
          continue;
        }
        JsonNode payload = out.value().isObject() ? out.value() : StreamJson.object().set("value", out.value());
        String target = terminal.partition() == null ? partition : terminal.partition().apply(out.value());
        pushItems.add(StreamJson.object().put("queue", terminal.sinkQueue()).put("partition", target)
            .set("payload", payload));
      }
    }
    ObjectNode cycle = StreamJson.object().put("query_id", queryId).put("partition_id", partitionId)
        .put("consumer_group", consumerGroup);
    cycle.putArray("state_ops").addAll(stateOps);
    cycle.set("push_items", pushItems);
    return cycle;
  }

  /** A source message as the chain's first record: its payload, keyed by its partition's id (Queen's default). */
  static Stage.Keyed source(Message message) {
    return new Stage.Keyed(message.partitionId(), message.data());
  }

  /** {@code context}: null before a window or gate, else the result's (it stays the same through the stages). */
  static List<Stage.Keyed> through(List<Stage> stages, Stage.Keyed record, EmitContext context) {
    List<Stage.Keyed> current = List.of(record);
    for (Stage stage : stages) {
      List<Stage.Keyed> next = new ArrayList<>();
      current.forEach(each -> next.addAll(stage.apply(each, context)));
      current = next;
    }
    return current;
  }
}
