package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * A tumbling event-time window with its fold: windows are aligned to the epoch, {@code [start, start + size)}, and a
 * record's event time is its source message's {@code createdAt}. State key {@code tumb:<seconds>␟<start ms>␟<key>}.
 */
final class TumblingWindow {
  static final char SEP = '\u001f';
  private final long sizeMs;
  private final JsonNode initial;
  private final BiFunction<JsonNode, JsonNode, Object> fold;
  private final String foldKind;

  TumblingWindow(Duration size, JsonNode initial, BiFunction<JsonNode, JsonNode, Object> fold, String foldKind) {
    if (size.toMillis() < 1) {
      throw new IllegalArgumentException("a tumbling window is at least 1 ms");
    }
    this.sizeMs = size.toMillis();
    this.initial = initial;
    this.fold = fold;
    this.foldKind = foldKind;
  }

  String tag() {
    return "tumb:" + BigDecimal.valueOf(sizeMs).movePointLeft(3).stripTrailingZeros().toPlainString();
  }

  long start(long eventTimeMs) {
    return Math.floorDiv(eventTimeMs, sizeMs) * sizeMs;
  }

  long size() {
    return sizeMs;
  }

  String stateKey(long start, String key) {
    return tag() + SEP + start + SEP + key;
  }

  /** The user key of a state key of this window, or null when the key is not this window's. */
  String userKey(String stateKey) {
    if (!stateKey.startsWith(tag() + SEP)) {
      return null;
    }
    int second = stateKey.indexOf(SEP, tag().length() + 1);
    return second < 0 ? null : stateKey.substring(second + 1);
  }

  /** {@code acc} is null for a window's first record. */
  JsonNode add(JsonNode acc, JsonNode value) {
    if (acc == null && initial == null) {
      return value; // reduce: the first value is the accumulator
    }
    return StreamJson.tree(fold.apply(acc == null ? initial.deepCopy() : acc, value));
  }

  ObjectNode shape() {
    return StreamJson.op("window").put("type", "tumbling").put("sizeMs", sizeMs).put("fold", foldKind)
        .put("graceMs", 0);
  }
}
