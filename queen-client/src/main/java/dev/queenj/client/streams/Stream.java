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
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

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
  private final TumblingWindow window;
  private final List<Stage> after;
  private final String sink;

  private Stream(QueenClient client, String source, List<Stage> before, TumblingWindow window, List<Stage> after,
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

  /** A tumbling event-time window (event time = the message's {@code createdAt}, grace 0); fold it next. */
  public Windowed tumbling(Duration size) {
    if (window != null) {
      throw new IllegalStateException("one window per stream");
    }
    return new Windowed(size);
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

  TumblingWindow window() {
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

  /** A window waiting for its fold. */
  public final class Windowed {
    private final Duration size;

    private Windowed(Duration size) {
      this.size = size;
    }

    /** Folds each window's records from {@code initial}: {@code aggregate(0, (n, v) -> n.asLong() + 1)} counts. */
    public Stream aggregate(Object initial, BiFunction<JsonNode, JsonNode, Object> fold) {
      return close(new TumblingWindow(size, StreamJson.tree(initial), fold, "aggregate"));
    }

    /** Folds each window's records pairwise, the first record being the start. */
    public Stream reduce(BinaryOperator<JsonNode> reducer) {
      return close(new TumblingWindow(size, null, reducer::apply, "reduce"));
    }

    private Stream close(TumblingWindow tumbling) {
      return new Stream(client, source, before, tumbling, List.of(), sink);
    }
  }
}
