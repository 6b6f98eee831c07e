package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * A window with its options and its fold. {@code graceMs}: how long past its end a window stays open for records
 * that arrive out of order (it closes when the watermark passes {@code end + grace}; a record for a closed window is
 * dropped). {@code eventTime}: reads a record's time (epoch ms) from its source message's payload; null means the
 * message's {@code createdAt}. {@code initial} is null for {@code reduce}, whose first value starts the fold.
 */
record WindowAggregation(Window window, long graceMs, ToLongFunction<JsonNode> eventTime, JsonNode initial,
    BiFunction<JsonNode, JsonNode, Object> fold, String foldKind) {

  WindowAggregation {
    if (graceMs < 0) {
      throw new IllegalArgumentException("grace must not be negative");
    }
  }

  static WindowAggregation of(Window window) {
    return new WindowAggregation(window, 0, null, null, null, null);
  }

  WindowAggregation grace(Duration grace) {
    return new WindowAggregation(window, grace.toMillis(), eventTime, initial, fold, foldKind);
  }

  WindowAggregation eventTime(ToLongFunction<JsonNode> eventTime) {
    return new WindowAggregation(window, graceMs, eventTime, initial, fold, foldKind);
  }

  WindowAggregation fold(JsonNode initial, BiFunction<JsonNode, JsonNode, Object> fold, String foldKind) {
    return new WindowAggregation(window, graceMs, eventTime, initial, fold, foldKind);
  }

  /** {@code acc} is null for a window's first record. */
  JsonNode add(JsonNode acc, JsonNode value) {
    if (acc == null && initial == null) {
      return value; // reduce: the first value is the accumulator
    }
    return StreamJson.tree(fold.apply(acc == null ? initial.deepCopy() : acc, value));
  }
}
