package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.client.QueenClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A pipeline over a source queue, driven by Queen's streaming routes ({@code /streams/v1}) like Queen's SDKs:
 * {@code Stream.from(client, "orders").keyBy(o -> o.get("customer").asText()).tumbling(Duration.ofMinutes(1))
 * .aggregate(0, (sum, o) -> sum.asLong() + o.get("amount").asLong()).to("orders.per_min").run("orders.per_min")}.
 * Immutable: every operator returns a new stream. Values are Jackson trees; an operator's result is converted with
 * Jackson. Stages after a window see its result, the aggregate, as Queen's SDKs hand it on, with the window's key and
 * bounds in an {@link EmitContext} for the stages that take one ({@code map((agg, ctx) -> ...)}). A chain
 * is: stateless stages ({@code map}, {@code filter}, {@code flatMap}, {@code keyBy}), at most one window with its fold
 * or one {@code gate}, stateless stages on their results, and a terminal {@code to} (sink queue) or {@code foreach}.
 */
public final class Stream {
  private final QueenClient client;
  private final String source;
  private final List<Stage> before;
  private final WindowAggregation window;
  private final Gate gate;
  private final List<Stage> after;
  private final Terminal terminal;

  private Stream(QueenClient client, String source, List<Stage> before, WindowAggregation window, Gate gate,
      List<Stage> after, Terminal terminal) {
    this.client = client;
    this.source = source;
    this.before = List.copyOf(before);
    this.window = window;
    this.gate = gate;
    this.after = List.copyOf(after);
    this.terminal = terminal;
  }

  /**
   * Where results go: a sink queue (with the partition each result is pushed to: the resolver's answer, else the
   * source partition's name), or a side effect run for each result before the cycle acks the source.
   */
  record Terminal(String sinkQueue, Function<JsonNode, String> partition, BiConsumer<JsonNode, EmitContext> foreach) {
  }

  public static Stream from(QueenClient client, String sourceQueue) {
    if (sourceQueue == null || sourceQueue.isEmpty()) {
      throw new IllegalArgumentException("a source queue is required");
    }
    return new Stream(client, sourceQueue, List.of(), null, null, List.of(), null);
  }

  /** Each value becomes {@code mapper}'s result (converted with Jackson). */
  public Stream map(Function<JsonNode, Object> mapper) {
    return map((value, context) -> mapper.apply(value));
  }

  /**
   * As {@link #map(Function)}, the mapper also getting Queen's {@code ctx}: after a window or a gate the result's
   * partition, key and window ({@code (agg, ctx) -> ...} adds {@code ctx.windowStart()} to a window's aggregate);
   * before them null, as in Queen's SDKs.
   */
  public Stream map(BiFunction<JsonNode, EmitContext, Object> mapper) {
    return with(new Stage() {
      @Override
      public List<Keyed> apply(Keyed record, EmitContext context) {
        return List.of(record.with(StreamJson.tree(mapper.apply(record.value(), context))));
      }

      @Override
      public ObjectNode shape() {
        return StreamJson.op("map");
      }
    });
  }

  /** Keeps the values {@code predicate} accepts. */
  public Stream filter(Predicate<JsonNode> predicate) {
    return filter((value, context) -> predicate.test(value));
  }

  /** As {@link #filter(Predicate)}, with Queen's {@code ctx} as {@link #map(BiFunction)} gets it. */
  public Stream filter(BiPredicate<JsonNode, EmitContext> predicate) {
    return with(new Stage() {
      @Override
      public List<Keyed> apply(Keyed record, EmitContext context) {
        return predicate.test(record.value(), context) ? List.of(record) : List.of();
      }

      @Override
      public ObjectNode shape() {
        return StreamJson.op("filter");
      }
    });
  }

  /** Each value becomes the values {@code mapper} returns, in order (none drops it), with the same key. */
  public Stream flatMap(Function<JsonNode, ? extends Iterable<?>> mapper) {
    return flatMap((value, context) -> mapper.apply(value));
  }

  /** As {@link #flatMap(Function)}, with Queen's {@code ctx} as {@link #map(BiFunction)} gets it. */
  public Stream flatMap(BiFunction<JsonNode, EmitContext, ? extends Iterable<?>> mapper) {
    return with(new Stage() {
      @Override
      public List<Keyed> apply(Keyed record, EmitContext context) {
        List<Keyed> out = new ArrayList<>();
        for (Object value : mapper.apply(record.value(), context)) {
          out.add(record.with(StreamJson.tree(value)));
        }
        return out;
      }

      @Override
      public ObjectNode shape() {
        return StreamJson.op("flatMap");
      }
    });
  }

  /**
   * Groups what follows (windows, a gate's state) by this key. Without it the key is the source partition's id, as
   * in Queen's SDKs, so one partition's records share state and no two runners write the same key.
   */
  public Stream keyBy(Function<JsonNode, String> key) {
    if (window != null || gate != null) {
      throw new IllegalStateException("keyBy(...) comes before a window or a gate");
    }
    return with(new Stage() {
      @Override
      public List<Keyed> apply(Keyed record, EmitContext context) {
        return List.of(new Keyed(key.apply(record.value()), record.value()));
      }

      @Override
      public ObjectNode shape() {
        return StreamJson.op("keyBy");
      }
    });
  }

  /**
   * A per-record allow/deny decision with one stored object per key (Queen's {@code .gate}, spec §3 item 3). A
   * batch is evaluated in order up to the first denied record: the allowed prefix (whole source messages; a message
   * the stages before dropped counts as allowed) is acked with its state and results in one cycle that keeps the
   * lease when anything was denied, so the denied message and those after it come back, in order, when the lease
   * expires. Nothing allowed: no cycle at all. A denied record's state changes are dropped, as are those of the
   * records its message produced before it. One gate per stream, and not with a window.
   */
  public Stream gate(Gate decision) {
    if (gate != null || window != null) {
      throw new IllegalStateException("one gate per stream, and not with a window");
    }
    if (terminal != null) {
      throw new IllegalStateException("to(...) / foreach(...) end the chain");
    }
    return new Stream(client, source, before, null, decision, after, null);
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
    if (window != null || gate != null) {
      throw new IllegalStateException("one window per stream, and not with a gate");
    }
    if (terminal != null) {
      throw new IllegalStateException("to(...) ends the chain");
    }
    return new Windowed(WindowAggregation.of(kind));
  }

  /** Pushes every result to {@code sinkQueue}, into the partition of the source message's name. */
  public Stream to(String sinkQueue) {
    return to(sinkQueue, null);
  }

  /**
   * Pushes every result to {@code sinkQueue}, into the partition {@code partition} names for it (null: the source
   * message's partition name). Results that are not JSON objects are pushed as {@code {"value":...}}, as Queen's
   * SDKs push them; a window's result is its aggregate.
   */
  public Stream to(String sinkQueue, Function<JsonNode, String> partition) {
    if (sinkQueue == null || sinkQueue.isEmpty()) {
      throw new IllegalArgumentException("a sink queue is required");
    }
    return end(new Terminal(sinkQueue, partition, null));
  }

  /**
   * Ends the chain with a side effect per result instead of a sink: the cycle acks the source only once
   * {@code action} returned for every result of the batch, so a crash or an exception repeats it for the whole
   * batch later (at least once). The query is registered without a sink queue.
   */
  public Stream foreach(Consumer<JsonNode> action) {
    if (action == null) {
      throw new IllegalArgumentException("an action is required");
    }
    return foreach((value, context) -> action.accept(value));
  }

  /**
   * As {@link #foreach(Consumer)}, the action also getting Queen's {@code ctx} ({@link EmitContext}): the result's
   * partition and key, and after a window its key and bounds.
   */
  public Stream foreach(BiConsumer<JsonNode, EmitContext> action) {
    if (action == null) {
      throw new IllegalArgumentException("an action is required");
    }
    return end(new Terminal(null, null, action));
  }

  private Stream end(Terminal end) {
    if (terminal != null) {
      throw new IllegalStateException("one sink or foreach per stream");
    }
    return new Stream(client, source, before, window, gate, after, end);
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

  /**
   * Hex SHA-256 of the chain's shape as Queen's SDKs compute it ({@link ConfigHash}): the same chain built in JS,
   * Python or Go with the same options gives the same hash, so any of them can resume the query. A window's idle
   * flush interval is part of Queen's shape: this is the hash with the window kind's default.
   */
  public String configHash() {
    return ConfigHash.of(this, null);
  }

  String source() {
    return source;
  }

  /** The sink queue, or null (no sink, or {@code foreach}). */
  String sink() {
    return terminal == null ? null : terminal.sinkQueue();
  }

  Terminal terminal() {
    return terminal;
  }

  Gate gate() {
    return gate;
  }

  /** Windows and gates read the partition's state before a batch. */
  boolean stateful() {
    return window != null || gate != null;
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
    if (terminal != null) {
      throw new IllegalStateException("to(...) / foreach(...) end the chain");
    }
    if (window == null && gate == null) {
      List<Stage> stages = new ArrayList<>(before);
      stages.add(stage);
      return new Stream(client, source, stages, null, null, after, null);
    }
    List<Stage> stages = new ArrayList<>(after);
    stages.add(stage);
    return new Stream(client, source, before, window, gate, stages, null);
  }

  /** A window waiting for its fold; {@link #grace} and {@link #eventTime} set its options first. */
  public final class Windowed {
    private final WindowAggregation aggregation;

    private Windowed(WindowAggregation aggregation) {
      this.aggregation = aggregation;
    }

    /**
     * Keeps each window open {@code grace} past its end for records arriving out of order (default 0; Queen's
     * {@code gracePeriod}): a window closes once the partition's time (its watermark) reaches end + grace, and a
     * record for a window already closed is dropped and counted ({@link StreamRunner#lateRecords()}).
     */
    public Windowed grace(Duration grace) {
      return new Windowed(aggregation.timing(aggregation.timing().grace(grace.toMillis())));
    }

    /**
     * Queen's {@code allowedLateness} (default 0): the partition's watermark stays this far behind the latest time
     * it has seen (and is stored so, as Queen stores {@code __wm__}), so windows close and records count as late that
     * much later.
     */
    public Windowed allowedLateness(Duration lateness) {
      return new Windowed(aggregation.timing(aggregation.timing().allowedLateness(lateness.toMillis())));
    }

    /**
     * Queen's {@code onLate}: {@code "drop"} (the default) leaves a record for a closed window out and counts it;
     * {@code "include"} folds it into that window anew, which is then emitted again with the late records alone.
     */
    public Windowed onLate(String policy) {
      if (!"drop".equals(policy) && !"include".equals(policy)) {
        throw new IllegalArgumentException("onLate must be 'drop' or 'include', not " + policy);
      }
      return new Windowed(aggregation.timing(aggregation.timing().includeLate("include".equals(policy))));
    }

    /**
     * Reads each record's time (epoch ms) from its source message's payload instead of taking the message's
     * {@code createdAt}. The partition's time then moves only with these times, so windows close as the data's
     * time advances, and the idle flush (which uses the runner's clock) does not run.
     */
    public Windowed eventTime(ToLongFunction<JsonNode> eventTime) {
      return new Windowed(aggregation.timing(aggregation.timing().eventTime(eventTime)));
    }

    /**
     * Folds each window's records from {@code initial}: {@code aggregate(0, (n, v) -> n.asLong() + 1)} counts. This
     * is Queen's {@code reduce(fn, initial)}, and hashes as it; a null {@code initial} is {@link #reduce}.
     */
    public Stream aggregate(Object initial, BiFunction<JsonNode, JsonNode, Object> fold) {
      return close(aggregation.fold(StreamJson.tree(initial), fold));
    }

    /**
     * Queen's named-extractor aggregate: each window's value is an object with one field per extractor, in the
     * map's iteration order (give a {@link LinkedHashMap}, in the order the other languages' code lists them: the
     * order is part of the config hash). {@code count} adds the extractor's number or 1, {@code sum} and any other
     * name add its number, {@code min}/{@code max} keep the extremes, {@code avg} the mean (with Queen's
     * {@code __avg_sum} and {@code __avg_count} next to it).
     */
    public Stream aggregate(Map<String, ? extends Function<JsonNode, ?>> extractors) {
      return close(aggregation.named(NamedAggregate.of(extractors)));
    }

    /**
     * Folds each window's records with {@code reducer}, as Queen's {@code reduce(fn)} without an initial value:
     * the window's first record is folded into JSON null ({@code acc.isNull()}; {@code acc.asLong()} reads 0), so
     * {@code reduce((sum, v) -> sum.asLong() + v.asLong())} sums.
     */
    public Stream reduce(BiFunction<JsonNode, JsonNode, Object> reducer) {
      return close(aggregation.fold(null, reducer));
    }

    private Stream close(WindowAggregation folded) {
      return new Stream(client, source, before, folded, null, List.of(), terminal);
    }
  }
}
