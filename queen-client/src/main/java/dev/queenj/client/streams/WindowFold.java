package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one partition's window state becomes after some records and a clock, decided without a server: the rows to
 * upsert and delete, the windows that closed (as results), the records dropped as late.
 *
 * <p>The partition's watermark ({@code __wm__}) is the latest time it has seen, less the allowed lateness (stored
 * so, as Queen's SDKs store it): the records' times and, for createdAt time, every message's {@code createdAt} and
 * the idle flush's clock. A window closes once the watermark reaches its end plus the grace; a record is late when a
 * window it falls in had closed before its batch (the watermark as stored), and it is left out of that window, so a
 * closed window is never emitted twice, unless {@code onLate("include")} folds it into that window anew, emitted
 * again with the late records alone. Within a batch, records are taken in time order first, so a batch's own
 * disorder is never late.
 */
final class WindowFold {
  static final String WATERMARK = "__wm__";

  private WindowFold() {
  }

  /** A record that reached the window, with its time (epoch ms). */
  record Timed(Stage.Keyed record, long timeMs) {
  }

  /**
   * {@code stateOps}: upserts and deletes, in order; {@code results}: the closed windows, each its aggregate keyed by
   * its user key with the window's bounds, as Queen's SDKs emit them; {@code late}: records dropped.
   */
  record Outcome(List<ObjectNode> stateOps, List<Stage.Keyed> results, int late) {
  }

  /**
   * {@code rows}: the partition's state rows as read (all of them, or for a flush the ripe ones and the watermark);
   * {@code clock}: a time the partition has certainly reached, {@link Long#MIN_VALUE} for none.
   */
  static Outcome apply(WindowAggregation aggregation, List<Timed> records, Map<String, JsonNode> rows, long clock) {
    List<Timed> inTimeOrder = new ArrayList<>(records);
    inTimeOrder.sort(Comparator.comparingLong(Timed::timeMs));
    if (aggregation.window() instanceof Window.Session session) {
      return new Sessions(aggregation, session, rows, clock).apply(inTimeOrder);
    }
    return new Buckets(aggregation, (Window.Buckets) aggregation.window(), rows, clock).apply(inTimeOrder);
  }

  private static long watermark(Map<String, JsonNode> rows) {
    JsonNode mark = rows.get(WATERMARK);
    return mark == null ? Long.MIN_VALUE : mark.path("eventTimeMs").asLong(Long.MIN_VALUE);
  }

  private static ObjectNode upsert(String key, JsonNode value) {
    ObjectNode op = StreamJson.object().put("type", "upsert").put("key", key);
    op.set("value", value);
    return op;
  }

  private static ObjectNode delete(String key) {
    return StreamJson.object().put("type", "delete").put("key", key);
  }

  private static Stage.Keyed result(String userKey, long start, long end, JsonNode acc) {
    return new Stage.Keyed(userKey, acc, new Stage.Bounds(start, end));
  }

  /** The watermark's upsert when the partition moved past the stored one. */
  private static void advance(List<ObjectNode> ops, long stored, long mark) {
    if (mark > stored) {
      ops.add(upsert(WATERMARK, StreamJson.object().put("eventTimeMs", mark)));
    }
  }

  /** Tumbling, sliding and cron windows: one row per (window, key) until the window closes. */
  private static final class Buckets {
    private final WindowAggregation aggregation;
    private final WindowAggregation.Timing timing;
    private final Window.Buckets window;
    private final long watermark;
    private long latest;
    private final TreeMap<String, JsonNode> open = new TreeMap<>();
    private final Set<String> stored;

    Buckets(WindowAggregation aggregation, Window.Buckets window, Map<String, JsonNode> rows, long clock) {
      this.aggregation = aggregation;
      this.timing = aggregation.timing();
      this.window = window;
      this.watermark = watermark(rows);
      this.latest = clock;
      String prefix = window.tag() + Window.SEP;
      rows.forEach((key, value) -> {
        if (key.startsWith(prefix)) {
          open.put(key, value);
        }
      });
      this.stored = new HashSet<>(open.keySet());
    }

    Outcome apply(List<Timed> records) {
      Set<String> touched = new LinkedHashSet<>();
      int late = 0;
      for (Timed timed : records) {
        latest = Math.max(latest, timed.timeMs());
        boolean dropped = false;
        for (long start : window.starts(timed.timeMs())) {
          long end = window.end(start);
          if (end + timing.graceMs() <= watermark && !timing.includeLate()) {
            dropped = true; // this window closed in an earlier batch
            continue;
          }
          String key = window.stateKey(start, timed.record().key());
          JsonNode row = open.get(key);
          ObjectNode next = StreamJson.object();
          next.set("acc", aggregation.add(row == null ? null : row.get("acc"), timed.record().value()));
          open.put(key, next.put("windowStart", start).put("windowEnd", end));
          touched.add(key);
        }
        late += dropped ? 1 : 0;
      }
      long mark = Math.max(watermark, timing.watermark(latest));
      List<ObjectNode> ops = new ArrayList<>();
      List<Stage.Keyed> results = new ArrayList<>();
      open.forEach((key, row) -> {
        JsonNode end = row.path("windowEnd");
        if (end.isNumber() && end.asLong() + timing.graceMs() <= mark) {
          int userKeyAt = key.indexOf(Window.SEP, window.tag().length() + 1) + 1;
          results.add(result(key.substring(userKeyAt), row.path("windowStart").asLong(), end.asLong(),
              row.get("acc")));
          if (stored.contains(key)) {
            ops.add(delete(key));
          }
          touched.remove(key);
        }
      });
      touched.forEach(key -> ops.add(upsert(key, open.get(key))));
      advance(ops, watermark, mark);
      return new Outcome(ops, results, late);
    }
  }

  /** Session windows: one open session per key, closed when the watermark passes its last record + gap + grace. */
  private static final class Sessions {
    private final WindowAggregation aggregation;
    private final WindowAggregation.Timing timing;
    private final Window.Session window;
    private final long gap;
    private final long watermark;
    private long latest;
    private final Map<String, Open> open = new TreeMap<>();
    private final Set<String> stored;

    private record Open(long start, long last, JsonNode acc, boolean dirty) {
      ObjectNode row() {
        ObjectNode row = StreamJson.object();
        row.set("acc", acc);
        return row.put("sessionStart", start).put("lastEventTime", last);
      }
    }

    Sessions(WindowAggregation aggregation, Window.Session window, Map<String, JsonNode> rows, long clock) {
      this.aggregation = aggregation;
      this.timing = aggregation.timing();
      this.window = window;
      this.gap = window.gapMs();
      this.watermark = watermark(rows);
      this.latest = clock;
      String prefix = window.openPrefix();
      rows.forEach((key, value) -> {
        if (key.startsWith(prefix) && value.path("lastEventTime").isNumber()) {
          open.put(key.substring(prefix.length()), new Open(value.path("sessionStart").asLong(),
              value.path("lastEventTime").asLong(), value.get("acc"), false));
        }
      });
      this.stored = new HashSet<>(open.keySet());
    }

    Outcome apply(List<Timed> records) {
      List<Stage.Keyed> results = new ArrayList<>();
      int late = 0;
      for (Timed timed : records) {
        long time = timed.timeMs();
        String key = timed.record().key();
        latest = Math.max(latest, time);
        Open session = open.get(key);
        if (session != null && time > session.last() + gap) {
          results.add(result(key, session)); // the gap passed: that session is over
          open.remove(key);
          session = null;
        }
        if (session != null && time < session.start() - gap) {
          // belongs to an earlier session of this key, already emitted: dropped, or emitted again on its own
          if (timing.includeLate()) {
            results.add(result(key, new Open(time, time, aggregation.add(null, timed.record().value()), true)));
          } else {
            late++;
          }
        } else if (session != null) {
          open.put(key, new Open(Math.min(session.start(), time), Math.max(session.last(), time),
              aggregation.add(session.acc(), timed.record().value()), true));
        } else if (time + gap + timing.graceMs() <= watermark && !timing.includeLate()) {
          late++; // a session of its own that closed in an earlier batch
        } else {
          open.put(key, new Open(time, time, aggregation.add(null, timed.record().value()), true));
        }
      }
      long mark = Math.max(watermark, timing.watermark(latest));
      open.entrySet().removeIf(entry -> {
        Open session = entry.getValue();
        boolean closed = session.last() + gap + timing.graceMs() <= mark;
        if (closed) {
          results.add(result(entry.getKey(), session));
        }
        return closed;
      });
      List<ObjectNode> ops = new ArrayList<>();
      Set<String> keys = new TreeSet<>(stored);
      keys.addAll(open.keySet());
      for (String key : keys) {
        Open session = open.get(key);
        if (session == null) {
          ops.add(delete(window.openPrefix() + key));
        } else if (session.dirty()) {
          ops.add(upsert(window.openPrefix() + key, session.row()));
        }
      }
      advance(ops, watermark, mark);
      return new Outcome(ops, results, late);
    }

    private Stage.Keyed result(String key, Open session) {
      return WindowFold.result(key, session.start(), session.last() + gap, session.acc());
    }
  }
}
