package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * A window with its options and its fold. {@code graceMs}: how long past its end a window stays open for records
 * that arrive out of order (it closes when the watermark passes {@code end + grace}; a record for a closed window is
 * dropped). {@code eventTime}: reads a record's time (epoch ms) from its source message's payload; null means the
 * message's {@code createdAt}. {@code initial}: each window's starting accumulator, null for a {@code reduce}
 * without one. {@code fields}: the field names of a named-extractor {@code aggregate} ({@link NamedAggregate}), which
 * Queen's config hash describes as {@code {"kind":"aggregate","fields":[...]}}; null for a plain fold.
 */
record WindowAggregation(Window window, long graceMs, ToLongFunction<JsonNode> eventTime, JsonNode initial,
    BiFunction<JsonNode, JsonNode, Object> fold, List<String> fields) {

  WindowAggregation {
    if (graceMs < 0) {
      throw new IllegalArgumentException("grace must not be negative");
    }
    fields = fields == null ? null : List.copyOf(fields);
  }

  static WindowAggregation of(Window window) {
    return new WindowAggregation(window, 0, null, null, null, null);
  }

  WindowAggregation grace(Duration grace) {
    return new WindowAggregation(window, grace.toMillis(), eventTime, initial, fold, fields);
  }

  WindowAggregation eventTime(ToLongFunction<JsonNode> eventTime) {
    return new WindowAggregation(window, graceMs, eventTime, initial, fold, fields);
  }

  WindowAggregation fold(JsonNode initial, BiFunction<JsonNode, JsonNode, Object> fold) {
    return new WindowAggregation(window, graceMs, eventTime, initial, fold, null);
  }

  WindowAggregation named(NamedAggregate aggregate) {
    return new WindowAggregation(window, graceMs, eventTime, aggregate.initial(), aggregate::add,
        aggregate.fields());
  }

  /**
   * {@code acc} is null for a window's first record, which is folded into a copy of the initial value or, without
   * one, into JSON null: Queen's {@code reduce(fn)} calls {@code fn(undefined/None/nil, v)} first.
   */
  JsonNode add(JsonNode acc, JsonNode value) {
    JsonNode start = acc != null ? acc : initial == null ? NullNode.getInstance() : initial.deepCopy();
    JsonNode next = StreamJson.tree(fold.apply(start, value));
    return next == null ? NullNode.getInstance() : next;
  }
}
