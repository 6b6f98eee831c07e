package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * A window with its time options ({@link Timing}) and its fold. {@code initial}: each window's starting accumulator,
 * null for a {@code reduce} without one. {@code fields}: the field names of a named-extractor {@code aggregate}
 * ({@link NamedAggregate}), which Queen's config hash describes as {@code {"kind":"aggregate","fields":[...]}}; null
 * for a plain fold.
 */
record WindowAggregation(Window window, Timing timing, JsonNode initial, BiFunction<JsonNode, JsonNode, Object> fold,
    List<String> fields) {

  WindowAggregation {
    fields = fields == null ? null : List.copyOf(fields);
  }

  /**
   * When records count and windows close. {@code graceMs}: how long past its end a window stays open (it closes when
   * the watermark passes {@code end + grace}). {@code allowedLatenessMs}: how far the partition's watermark stays
   * behind the latest time seen, as Queen's {@code allowedLateness} keeps it (the stored {@code __wm__} is that
   * lagging value). {@code includeLate}: Queen's {@code onLate: "include"}: a record for a window that had closed is
   * folded anyway, into a fresh row, and that window is emitted again, partially; otherwise it is dropped.
   * {@code eventTime}: reads a record's time (epoch ms) from its source message's payload; null means the message's
   * {@code createdAt}.
   */
  record Timing(long graceMs, long allowedLatenessMs, boolean includeLate, ToLongFunction<JsonNode> eventTime) {
    static final Timing DEFAULT = new Timing(0, 0, false, null);

    Timing {
      if (graceMs < 0 || allowedLatenessMs < 0) {
        throw new IllegalArgumentException("grace and allowed lateness must not be negative");
      }
    }

    Timing grace(long ms) {
      return new Timing(ms, allowedLatenessMs, includeLate, eventTime);
    }

    Timing allowedLateness(long ms) {
      return new Timing(graceMs, ms, includeLate, eventTime);
    }

    Timing includeLate(boolean include) {
      return new Timing(graceMs, allowedLatenessMs, include, eventTime);
    }

    Timing eventTime(ToLongFunction<JsonNode> time) {
      return new Timing(graceMs, allowedLatenessMs, includeLate, time);
    }

    /** The watermark a partition reaches having seen {@code latestMs} ({@link Long#MIN_VALUE}: nothing yet). */
    long watermark(long latestMs) {
      return latestMs == Long.MIN_VALUE ? Long.MIN_VALUE : latestMs - allowedLatenessMs;
    }
  }

  static WindowAggregation of(Window window) {
    return new WindowAggregation(window, Timing.DEFAULT, null, null, null);
  }

  WindowAggregation timing(Timing other) {
    return new WindowAggregation(window, other, initial, fold, fields);
  }

  long graceMs() {
    return timing.graceMs();
  }

  ToLongFunction<JsonNode> eventTime() {
    return timing.eventTime();
  }

  WindowAggregation fold(JsonNode initial, BiFunction<JsonNode, JsonNode, Object> fold) {
    return new WindowAggregation(window, timing, initial, fold, null);
  }

  WindowAggregation named(NamedAggregate aggregate) {
    return new WindowAggregation(window, timing, aggregate.initial(), aggregate::add, aggregate.fields());
  }

  /**
   * {@code acc} is null for a window's first record, which is folded into a copy of the initial value or, without
   * one, into JSON null: Queen's {@code reduce(fn)} calls {@code fn(undefined/None/nil, v)} first (for a session
   * window its Python and Go SDKs pass 0, its JS SDK undefined).
   */
  JsonNode add(JsonNode acc, JsonNode value) {
    JsonNode start = acc != null ? acc : initial == null ? NullNode.getInstance() : initial.deepCopy();
    JsonNode next = StreamJson.tree(fold.apply(start, value));
    return next == null ? NullNode.getInstance() : next;
  }
}
