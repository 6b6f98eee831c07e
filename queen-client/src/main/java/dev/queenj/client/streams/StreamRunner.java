package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.client.BlockingQueenClient;
import dev.queenj.client.Message;
import dev.queenj.client.PopRequest;
import dev.queenj.client.PopResult;
import dev.queenj.client.QueenClient;
import dev.queenj.client.QueenException;
import dev.queenj.client.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A registered query's loop on its own thread (spec §3): native pop as group {@code streams.<queryId>}, then per
 * source partition a full state read and one cycle. {@link #close()} lets the batch in hand finish (its cycles
 * commit or fail whole) and stops; a later runner with the same query id resumes from the group's cursor and the
 * stored state. A failed cycle is counted and logged; its lease expires and the batch comes back.
 *
 * <p>A windowed stream in createdAt time also flushes idle partitions (spec §3 item 4) on the same thread, between
 * pops: {@link IdleFlush} says which partition and by which clock; the runner reads its ripe rows with
 * {@code state/get} filters and sends an ack-less cycle that deletes them and pushes their results. Being on the
 * loop's thread, a flush never overlaps a batch's read-modify-write, so no window is emitted by both.
 */
public final class StreamRunner implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StreamRunner.class.getName());
  private static final Duration EMPTY_PAUSE = Duration.ofMillis(100);
  private static final Duration ERROR_PAUSE = Duration.ofMillis(500);
  private final BlockingQueenClient queen;
  private final Stream stream;
  private final String queryId;
  private final String serverQueryId;
  private final RunOptions options;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final AtomicLong committedCycles = new AtomicLong();
  private final AtomicLong failedCycles = new AtomicLong();
  private final AtomicLong gateStops = new AtomicLong();
  private final AtomicLong flushCycles = new AtomicLong();
  private final AtomicLong lateRecords = new AtomicLong();
  private final IdleFlush idleFlush;
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final Thread thread;

  private StreamRunner(QueenClient client, Stream stream, String queryId, String serverQueryId, RunOptions options) {
    this.queen = client.blocking();
    this.stream = stream;
    this.queryId = queryId;
    this.serverQueryId = serverQueryId;
    this.options = options;
    this.idleFlush = IdleFlush.of(stream, options, System.nanoTime());
    this.thread = new Thread(this::loop, "queen-stream-" + queryId);
    this.thread.setDaemon(true);
  }

  static StreamRunner start(QueenClient client, Stream stream, String queryId, RunOptions options) {
    if (queryId == null || queryId.isEmpty()) {
      throw new IllegalArgumentException("a query id is required");
    }
    JsonNode answer;
    try {
      answer = client.blocking().call("POST", "/streams/v1/queries", registration(stream, queryId, options),
          Retry.SAFE);
    } catch (QueenException e) {
      if (e.status() == 409) {
        throw new ConfigHashMismatchException(e.getMessage(), e);
      }
      throw e;
    }
    StreamRunner runner = new StreamRunner(client, stream, queryId, answer.path("query_id").asText(), options);
    runner.thread.start();
    return runner;
  }

  /** The registration body (spec §2.1): no {@code sink_queue} without a sink ({@code foreach}, or no terminal). */
  static ObjectNode registration(Stream stream, String queryId, RunOptions options) {
    ObjectNode register = StreamJson.object().put("name", queryId).put("source_queue", stream.source())
        .put("config_hash", ConfigHash.of(stream, options.idleFlush())).put("reset", options.reset());
    if (stream.sink() != null) {
      register.put("sink_queue", stream.sink());
    }
    return register;
  }

  /** The server's id of the query (a UUID), as registration answered it. */
  public String serverQueryId() {
    return serverQueryId;
  }

  public long committedCycles() {
    return committedCycles.get();
  }

  public long failedCycles() {
    return failedCycles.get();
  }

  /** Batches whose first message the gate denied: no cycle was sent, and the batch returns after its lease. */
  public long gateStops() {
    return gateStops.get();
  }

  /** Ack-less cycles of the idle flush that committed. */
  public long flushCycles() {
    return flushCycles.get();
  }

  /** Records left out of a window because it had closed before they arrived (beyond its grace). */
  public long lateRecords() {
    return lateRecords.get();
  }

  /** The last failure's text (a cycle answered {@code success:false} or a call that failed), or null. */
  public String lastError() {
    return lastError.get();
  }

  /** Stops after the batch in hand; waits for that up to the long-poll wait plus the client's deadlines. */
  @Override
  public void close() {
    stopping.countDown();
    try {
      thread.join(options.maxWait().plusSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    PopRequest pop = options.pop(stream.source(), queryId);
    while (stopping.getCount() > 0) {
      String committing = null; // the partition whose batch is in hand, for the error's phase
      try {
        long sentAtMs = System.currentTimeMillis();
        PopResult popped = queen.pop(pop);
        Map<String, List<Message>> batches = byPartition(popped.messages());
        // all of the pop's partitions are pending until their cycle commits, also when an earlier one throws
        batches.values().forEach(batch -> idleFlush.took(batch.get(0), System.nanoTime()));
        for (List<Message> batch : batches.values()) {
          committing = batch.get(0).partitionId();
          commit(batch);
        }
        committing = null;
        idleFlush.popped(batches.keySet(), popped.messages().size(), sentAtMs, options);
        for (IdleFlush.Due due : idleFlush.due(System.nanoTime())) {
          if (stopping.getCount() > 0) {
            flush(due);
          }
        }
        if (popped.isEmpty()) {
          pause(EMPTY_PAUSE);
        }
      } catch (RuntimeException e) {
        failed(new StreamError(committing == null ? "pop" : "cycle", committing, String.valueOf(e.getMessage()), e),
            committing == null ? "pop failed" : "cycle failed, the batch returns when its lease expires");
        pause(ERROR_PAUSE);
      }
    }
  }

  private void commit(List<Message> batch) {
    Message first = batch.get(0);
    Map<String, JsonNode> state = stream.stateful() ? readState(first.partitionId()) : Map.of();
    int[] late = {0};
    ObjectNode cycle = PartitionCycle.build(stream, serverQueryId, batch, state, count -> late[0] = count);
    if (cycle == null) {
      gateStops.incrementAndGet(); // the gate denied the first message: its lease runs out, the batch comes back
      return;
    }
    JsonNode answer = queen.call("POST", "/streams/v1/cycle", cycle, replay(cycle));
    if (answer.path("success").asBoolean(false)) {
      committedCycles.incrementAndGet();
      idleFlush.committed(first.partitionId());
      if (late[0] > 0) {
        lateRecords.addAndGet(late[0]);
        LOG.info("stream " + queryId + ": " + late[0] + " late record(s) of partition " + first.partition()
            + " dropped, their windows had closed");
      }
    } else {
      failedCycles.incrementAndGet();
      failed(new StreamError("cycle", first.partitionId(), answer.path("error").asText(), null),
          "cycle failed, the batch returns when its lease expires");
    }
  }

  /** A failure: the last error, the log (with its exception, if any), then the run's onError hook. */
  private void failed(StreamError error, String what) {
    lastError.set(error.message());
    LOG.log(Level.WARNING, "stream " + queryId + ": " + what + ": " + error.message(), error.cause());
    if (options.onError() != null) {
      try {
        options.onError().accept(error);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "stream " + queryId + ": its onError hook threw", e);
      }
    }
  }

  /**
   * A cycle that acks and releases the lease is safe to replay: after a lost answer the replay's lease is gone and
   * the server fails it whole ({@code Invalid or expired lease}, spec §5.3), so nothing is pushed twice. A cycle that
   * keeps the lease (a gate's partial ack) or acks nothing would push its sink items again: retried only when the
   * server surely did not apply it. Queen's SDKs retry all three alike.
   */
  static Retry replay(JsonNode cycle) {
    return cycle.path("ack").isObject() && cycle.path("release_lease").asBoolean(true)
        ? Retry.SAFE : Retry.IF_NOT_APPLIED;
  }

  private Map<String, JsonNode> readState(String partitionId) {
    return readRows(partitionId, read -> { });
  }

  private Map<String, JsonNode> readRows(String partitionId, Consumer<ObjectNode> filters) {
    ObjectNode read = StreamJson.object().put("query_id", serverQueryId).put("partition_id", partitionId);
    read.putArray("keys");
    filters.accept(read);
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    queen.call("POST", "/streams/v1/state/get", read, Retry.SAFE).path("rows")
        .forEach(row -> rows.put(row.path("key").asText(), row.path("value")));
    return rows;
  }

  /**
   * One drained partition's flush, by the clock of the pop that showed it drained: bucketed windows read only their
   * ripe rows (key prefix and {@code ripe_at_or_before}, as Queen's SDKs), sessions every open one, and both the
   * watermark, which the flush moves to that clock. A failure is logged; the rows stay and the next flush or batch
   * closes them.
   */
  private void flush(IdleFlush.Due due) {
    String partitionId = due.partitionId();
    try {
      WindowAggregation window = stream.window();
      long clockMs = due.clockMs();
      Map<String, JsonNode> rows = window.window() instanceof Window.Session session
          ? readRows(partitionId, read -> read.put("key_prefix", session.openPrefix()))
          : readRows(partitionId, read -> read.put("key_prefix", window.window().tag() + Window.SEP)
              .put("ripe_at_or_before", window.timing().watermark(clockMs) - window.graceMs()));
      if (rows.isEmpty()) {
        return;
      }
      rows.putAll(readRows(partitionId, read -> read.putArray("keys").add(WindowFold.WATERMARK)));
      ObjectNode cycle = PartitionCycle.flush(stream, serverQueryId, partitionId, due.consumerGroup(),
          due.partition(), rows, clockMs);
      if (cycle == null) {
        return;
      }
      JsonNode answer = queen.call("POST", "/streams/v1/cycle", cycle, replay(cycle));
      if (answer.path("success").asBoolean(false)) {
        flushCycles.incrementAndGet();
      } else {
        failedCycles.incrementAndGet();
        failed(new StreamError("flush", partitionId, answer.path("error").asText(), null),
            "idle flush of partition " + due.partition() + " failed");
      }
    } catch (RuntimeException e) {
      failed(new StreamError("flush", partitionId, String.valueOf(e.getMessage()), e),
          "idle flush of partition " + due.partition() + " failed");
    }
  }

  private static Map<String, List<Message>> byPartition(List<Message> messages) {
    Map<String, List<Message>> groups = new LinkedHashMap<>();
    messages.forEach(message -> groups.computeIfAbsent(message.partitionId(), id -> new ArrayList<>())
        .add(message));
    return groups;
  }

  private void pause(Duration pause) {
    try {
      stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.countDown();
    }
  }
}
