package dev.queenj.core.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Merges concurrent requests into one write. While a merged batch is being written, new requests queue up; when it
 * commits, what queued is written as the next batch. Under no load a request is written at once (no timer, no added
 * latency); under load the batch grows and the cost per item falls.
 *
 * <p>Writes may run in parallel on up to {@value #MAX_LANES} lanes. A request names the lanes it needs (for appends:
 * the logs it writes, hashed), and a batch is written only when none of its lanes is busy with another batch, so two
 * writes in flight never contend for the same rows in Postgres: requests that share lanes are merged instead. Within
 * a lane requests are written in the order they were submitted; a request waiting for a busy lane holds back the
 * later requests that need that lane.
 *
 * <p>If a merged batch fails, each of its requests is retried alone, so one request's failure (a queue deleted
 * meanwhile, say) never fails another client's write.
 *
 * @param <I> an item of a request
 * @param <O> the outcome for one item, in the same position
 */
public final class GroupCommit<I, O> {
  public static final int MAX_LANES = Long.SIZE;
  /** The lane of a group commit that runs one write at a time. */
  public static final long ONLY_LANE = 1L;

  private final Function<List<I>, Future<List<O>>> writer;
  private final int maxItemsPerBatch;
  private List<Request<I, O>> waiting = new ArrayList<>();
  /** Lanes with a batch in flight. */
  private long busy;

  private record Request<I, O>(List<I> items, long lanes, Promise<List<O>> promise) {}

  /**
   * @param writer writes one batch and answers one outcome per item, in order
   * @param maxItemsPerBatch a batch is closed once it holds this many items (a single larger request still goes
   *     through whole)
   */
  public GroupCommit(Function<List<I>, Future<List<O>>> writer, int maxItemsPerBatch) {
    this.writer = writer;
    this.maxItemsPerBatch = maxItemsPerBatch;
  }

  /** Submits a request on the {@linkplain #ONLY_LANE only lane}: batches are written one at a time. */
  public Future<List<O>> submit(List<I> items) {
    return submit(items, ONLY_LANE);
  }

  /** Submits a request that needs {@code lanes} (a non-empty bit set: lane i is bit i). */
  public Future<List<O>> submit(List<I> items, long lanes) {
    if (lanes == 0) {
      throw new IllegalArgumentException("a request needs at least one lane");
    }
    if (items.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Promise<List<O>> promise = Promise.promise();
    synchronized (this) {
      waiting.add(new Request<>(items, lanes, promise));
    }
    writeNext();
    return promise.future();
  }

  /** Starts every batch that can be written now. */
  private void writeNext() {
    while (true) {
      List<Request<I, O>> batch = new ArrayList<>();
      long lanes;
      synchronized (this) {
        lanes = takeBatch(batch);
        if (batch.isEmpty()) {
          return;
        }
        busy |= lanes;
      }
      long written = lanes;
      write(batch).onComplete(done -> {
        synchronized (this) {
          busy &= ~written;
        }
        writeNext();
      });
    }
  }

  /**
   * Moves the next batch from the waiting requests into {@code batch}: the oldest request whose lanes are free (and
   * not needed by an older waiting request), and after it every request that needs no other lanes, up to the item
   * limit. Answers the batch's lanes.
   */
  private long takeBatch(List<Request<I, O>> batch) {
    long blocked = busy;
    long lanes = 0;
    int size = 0;
    List<Request<I, O>> rest = new ArrayList<>(waiting.size());
    for (Request<I, O> request : waiting) {
      boolean free = (request.lanes() & blocked) == 0;
      boolean fits = batch.isEmpty()
          || ((request.lanes() & ~lanes) == 0 && size + request.items().size() <= maxItemsPerBatch);
      if (free && fits) {
        batch.add(request);
        lanes |= request.lanes();
        size += request.items().size();
      } else {
        rest.add(request);
        // later requests on these lanes must not overtake it
        blocked |= request.lanes();
      }
    }
    waiting = rest;
    return lanes;
  }

  private Future<Void> write(List<Request<I, O>> batch) {
    if (batch.size() == 1) {
      Request<I, O> only = batch.get(0);
      return safeWrite(only.items()).onComplete(only.promise()).<Void>mapEmpty().otherwiseEmpty();
    }
    List<I> merged = new ArrayList<>();
    for (Request<I, O> request : batch) {
      merged.addAll(request.items());
    }
    return safeWrite(merged).transform(result -> {
      if (result.succeeded()) {
        int from = 0;
        for (Request<I, O> request : batch) {
          int to = from + request.items().size();
          request.promise().complete(List.copyOf(result.result().subList(from, to)));
          from = to;
        }
        return Future.succeededFuture();
      }
      Future<Void> alone = Future.succeededFuture();
      for (Request<I, O> request : batch) {
        alone = alone.compose(previous -> safeWrite(request.items()).onComplete(request.promise())
            .<Void>mapEmpty().otherwiseEmpty());
      }
      return alone;
    });
  }

  private Future<List<O>> safeWrite(List<I> items) {
    try {
      return writer.apply(items);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
