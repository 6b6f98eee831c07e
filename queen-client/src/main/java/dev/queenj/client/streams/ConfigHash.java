package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The config hash as Queen's SDKs compute it (JS {@code configHashOf}, Python {@code config_hash_of}, Go
 * {@code ConfigHashOf}, read from queen-mq/queen {@code clients/client-py/queen/streams/util/config_hash.py}): the
 * hex SHA-256 of the compact JSON array of the chain's operators in declaration order, each
 * {@code {"kind":<kind>, ...config}} with the config's keys in Queen's order, the source never included. Kinds and
 * configs: {@code map}, {@code filter}, {@code flatMap}, {@code keyBy}, {@code gate} (no config); a window
 * {@code {"kind":"window-tumbling","seconds":s,"gracePeriod":s,"idleFlushMs":ms,"eventTime":bool,
 * "allowedLateness":s,"onLate":"drop"|"include"}} (sliding: {@code size}, {@code slide}; session: {@code gap}; cron:
 * {@code every}), whose fold is a {@code {"kind":"reduce","hasInitial":bool}} ({@code aggregate(initial, fold)} is
 * Queen's {@code reduce(fn, initial)}) or a named-extractor {@code {"kind":"aggregate","fields":[names]}};
 * {@code {"kind":"sink","queue":name}} or {@code {"kind":"foreach"}}.
 * Numbers are written as JavaScript writes them (60, 0.5).
 */
final class ConfigHash {
  private ConfigHash() {
  }

  /** {@code idleFlush}: the run's interval, or null for the window kind's default. */
  static String of(Stream stream, Duration idleFlush) {
    return sha256(shape(stream, idleFlush).toString());
  }

  static ArrayNode shape(Stream stream, Duration idleFlush) {
    ArrayNode ops = StreamJson.MAPPER.createArrayNode();
    stream.before().forEach(stage -> ops.add(stage.shape()));
    WindowAggregation window = stream.window();
    if (window != null) {
      ops.add(window(window, idleFlush == null ? window.window().defaultIdleFlush() : idleFlush));
      if (window.fields() != null) {
        ObjectNode aggregate = StreamJson.op("aggregate");
        ArrayNode fields = aggregate.putArray("fields");
        window.fields().forEach(fields::add);
        ops.add(aggregate);
      } else {
        ops.add(StreamJson.op("reduce").put("hasInitial", window.initial() != null));
      }
    }
    if (stream.gate() != null) {
      ops.add(StreamJson.op("gate"));
    }
    stream.after().forEach(stage -> ops.add(stage.shape()));
    Stream.Terminal terminal = stream.terminal();
    if (terminal != null) {
      ops.add(terminal.sinkQueue() != null ? StreamJson.op("sink").put("queue", terminal.sinkQueue())
          : StreamJson.op("foreach"));
    }
    return ops;
  }

  private static ObjectNode window(WindowAggregation aggregation, Duration idleFlush) {
    ObjectNode op;
    if (aggregation.window() instanceof Window.Tumbling tumbling) {
      op = StreamJson.op("window-tumbling").set("seconds", seconds(tumbling.sizeMs()));
    } else if (aggregation.window() instanceof Window.Sliding sliding) {
      op = StreamJson.op("window-sliding").set("size", seconds(sliding.sizeMs()));
      op.set("slide", seconds(sliding.slideMs()));
    } else if (aggregation.window() instanceof Window.Session session) {
      op = StreamJson.op("window-session").set("gap", seconds(session.gapMs()));
    } else if (aggregation.window() instanceof Window.Cron cron) {
      op = StreamJson.op("window-cron").put("every", cron.every().name().toLowerCase(Locale.ROOT));
    } else {
      throw new IllegalStateException("a window kind without a Queen shape: " + aggregation.window());
    }
    WindowAggregation.Timing timing = aggregation.timing();
    op.set("gracePeriod", seconds(timing.graceMs()));
    op.put("idleFlushMs", idleFlush.toMillis()).put("eventTime", timing.eventTime() != null);
    op.set("allowedLateness", seconds(timing.allowedLatenessMs()));
    return op.put("onLate", timing.includeLate() ? "include" : "drop");
  }

  /** Milliseconds as the seconds a JS user wrote: an integer when whole, else a decimal fraction. */
  private static JsonNode seconds(long ms) {
    return ms % 1000 == 0 ? LongNode.valueOf(ms / 1000) : DoubleNode.valueOf(ms / 1000.0);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
