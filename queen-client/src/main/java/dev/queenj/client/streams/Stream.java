package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.client.QueenClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A pipeline over a source queue, driven by Queen's streaming routes ({@code /streams/v1}) like Queen's SDKs:
 * {@code Stream.from(client, "orders").keyBy(o -> o.get("customer").asText()).tumbling(Duration.ofMinutes(1))
 * .aggregate(0, (sum, o) -> sum.asLong() + o.get("amount").asLong()).to("orders.per_min").run("orders.per_min")}.
 * Immutable: every operator returns a new stream. Values are Jackson trees; an operator's result is converted with
 * Jackson. Stages after a window see the window's result {@code {"key","windowStart","windowEnd","value"}}.
 */
public final class Stream {
  private final QueenClient client;
  private final String source;
  private final List<Stage> before;
  private final WindowAggregation window;
  private final List<Stage> after;
  private final String sink;

  private Stream(QueenClient client, String source, List<Stage> before, WindowAggregation window, List<Stage> after,
      String sink) {
    this.client = client;
    this.source = source;
    this.before = List.copyOf(before);
    this.window = window;
    this.after = List.copyOf(after);
    this.sink = sink;
  }

  public static Stream from(QueenClient client, String sourceQueue) {
    if (sourceQueue == null || sourceQueue.isEmpty()) {
      throw new IllegalArgumentException("a source queue is required");
    }
    return new Stream(client, sourceQueue, List.of(), null, List.of(), null);
  }

  public Stream map(Function<JsonNode, Object> mapper) {
    return with(new Stage() {
      @Override
      public Keyed apply(Keyed record) {
        return new Keyed(record.key(), StreamJson.tree(mapper.apply(record.value())));
      }

      @Override
      public ObjectNode shape() {
        return StreamJson.op("map");
      }
    });
  }

  public Stream filter(Predicate<JsonNode> predicate) {
    return with(new Stage() {
      @Override
      public Keyed apply(Keyed record) {
        return predicate.test(record.value()) ? record : null;
      }

      @Override
      public ObjectNode shape() {
        return StreamJson.op("filter");
      }
    });
  }

  /** Groups what follows by this key (by default the source partition's name). */
  public Stream keyBy(Function<JsonNode, String> key) {
    return with(new Stage() {
      @Override
      public Keyed apply(Keyed record) {
        return new Keyed(key.apply(record.value()), record.value());
      }

      @Override
      public ObjectNode shape() {
        return StreamJson.op("keyBy");
      }
    });
  }

  /**
   * Tumbling windows of {@code size}, aligned to the epoch: {@code [k·size, (k+1)·size)}; fold them next. A record's
   * time is its message's {@code createdAt} unless {@link Windowed#eventTime} says otherwise.
   */
  public Windowed tumbling(Duration size) {
    return window(new Window.Tumbling(size.toMillis()));
  }

  /**
   * Sliding windows of {@code size} starting every {@code slide} (a whole fraction of the size), so each record
   * counts in size/slide windows.
   */
  public Windowed sliding(Duration size, Duration slide) {
    return window(new Window.Sliding(size.toMillis(), slide.toMillis()));
  }

  /**
   * Session windows per key: a session gathers a key's records until none arrives within {@code gap} of the last
   * one; it closes (and is emitted) once the partition's time passes its last record + gap (+ grace).
   */
  public Windowed session(Duration gap) {
    return window(new Window.Session(gap.toMillis()));
  }

  /**
   * Queen's cron windows: wall-clock buckets of {@code every} one of {@code second}, {@code minute}, {@code hour},
   * {@code day} (UTC) or {@code week} (from Monday 00:00 UTC).
   */
  public Windowed cron(String every) {
    Window.Every period;
    try {
      period = Window.Every.valueOf(String.valueOf(every).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a cron window's every must be one of second|minute|hour|day|week, not "
          + every, e);
    }
    return window(new Window.Cron(period));
  }

  private Windowed window(Window kind) {
    if (window != null) {
      throw new IllegalStateException("one window per stream");
    }
    if (sink != null) {
      throw new IllegalStateException("to(...) ends the chain");
    }
    return new Windowed(WindowAggregation.of(kind));
  }

  /** Pushes every result to {@code sinkQueue}, into the partition of the source message's name. */
  public Stream to(String sinkQueue) {
    if (sink != null) {
      throw new IllegalStateException("one sink per stream");
    }
    if (sinkQueue == null || sinkQueue.isEmpty()) {
      throw new IllegalArgumentException("a sink queue is required");
    }
    return new Stream(client, source, before, window, after, sinkQueue);
  }

  /** Registers the query (no reset) and starts its runner. */
  public StreamRunner run(String queryId) {
    return run(queryId, RunOptions.defaults());
  }

  /**
   * Registers the query and starts its runner thread. Throws {@link ConfigHashMismatchException} when the query
   * exists with another operator chain and {@code options.reset()} is false.
   */
  public StreamRunner run(String queryId, RunOptions options) {
    return StreamRunner.start(client, this, queryId, options);
  }

  /** Hex SHA-256 of the chain's shape: operator kinds and parameters, source and sink, never the user's code. */
  public String configHash() {
    ArrayNode shape = StreamJson.MAPPER.createArrayNode();
    shape.add(StreamJson.op("source").put("queue", source));
    before.forEach(stage -> shape.add(stage.shape()));
    if (window != null) {
      shape.add(window.shape());
    }
    after.forEach(stage -> shape.add(stage.shape()));
    if (sink != null) {
      shape.add(StreamJson.op("sink").put("queue", sink));
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(shape.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  String source() {
    return source;
  }

  String sink() {
    return sink;
  }

  WindowAggregation window() {
    return window;
  }

  List<Stage> before() {
    return before;
  }

  List<Stage> after() {
    return after;
  }

  private Stream with(Stage stage) {
    if (sink != null) {
      throw new IllegalStateException("to(...) ends the chain");
    }
    if (window == null) {
      List<Stage> stages = new ArrayList<>(before);
      stages.add(stage);
      return new Stream(client, source, stages, null, after, null);
    }
    List<Stage> stages = new ArrayList<>(after);
    stages.add(stage);
    return new Stream(client, source, before, window, stages, null);
  }

  /** A window waiting for its fold; {@link #grace} and {@link #eventTime} set its options first. */
  public final class Windowed {
    private final WindowAggregation aggregation;

    private Windowed(WindowAggregation aggregation) {
      this.aggregation = aggregation;
    }

    /**
     * Keeps each window open {@code grace} past its end for records arriving out of order (default 0): a window
     * closes once the partition's time (its watermark) reaches end + grace, and a record for a window already
     * closed is dropped and counted ({@link StreamRunner#lateRecords()}).
     */
    public Windowed grace(Duration grace) {
      return new Windowed(aggregation.grace(grace));
    }

    /**
     * Reads each record's time (epoch ms) from its source message's payload instead of taking the message's
     * {@code createdAt}. The partition's time then moves only with these times, so windows close as the data's
     * time advances, and the idle flush (which uses the runner's clock) does not run.
     */
    public Windowed eventTime(ToLongFunction<JsonNode> eventTime) {
      return new Windowed(aggregation.eventTime(eventTime));
    }

    /** Folds each window's records from {@code initial}: {@code aggregate(0, (n, v) -> n.asLong() + 1)} counts. */
    public Stream aggregate(Object initial, BiFunction<JsonNode, JsonNode, Object> fold) {
      return close(aggregation.fold(StreamJson.tree(initial), fold, "aggregate"));
    }

    /** Folds each window's records pairwise, the first record being the start. */
    public Stream reduce(BinaryOperator<JsonNode> reducer) {
      return close(aggregation.fold(null, reducer::apply, "reduce"));
    }

    private Stream close(WindowAggregation folded) {
      return new Stream(client, source, before, folded, List.of(), sink);
    }
  }
}
