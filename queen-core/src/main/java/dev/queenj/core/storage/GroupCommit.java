package dev.queenj.core.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Merges concurrent requests into one transaction. While a merged batch is being written, new requests queue up;
 * when it commits, everything queued is written as the next batch. Under no load a request is written at once (no
 * timer, no added latency); under load the batch grows and the cost per item falls.
 *
 * <p>If a merged batch fails, each of its requests is retried alone, so one request's failure (a queue deleted
 * meanwhile, say) never fails another client's write.
 *
 * @param <I> an item of a request
 * @param <O> the outcome for one item, in the same position
 */
public final class GroupCommit<I, O> {
  private final Function<List<I>, Future<List<O>>> writer;
  private final int maxItemsPerBatch;
  private final List<Request<I, O>> waiting = new ArrayList<>();
  private boolean writing;

  private record Request<I, O>(List<I> items, Promise<List<O>> promise) {}

  /**
   * @param writer writes one batch in one transaction and answers one outcome per item, in order
   * @param maxItemsPerBatch a batch is closed once it holds this many items (a single larger request still goes
   *     through whole)
   */
  public GroupCommit(Function<List<I>, Future<List<O>>> writer, int maxItemsPerBatch) {
    this.writer = writer;
    this.maxItemsPerBatch = maxItemsPerBatch;
  }

  public Future<List<O>> submit(List<I> items) {
    if (items.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Promise<List<O>> promise = Promise.promise();
    synchronized (this) {
      waiting.add(new Request<>(items, promise));
    }
    writeNext();
    return promise.future();
  }

  private void writeNext() {
    List<Request<I, O>> batch = new ArrayList<>();
    synchronized (this) {
      if (writing || waiting.isEmpty()) {
        return;
      }
      writing = true;
      int size = 0;
      while (!waiting.isEmpty() && (batch.isEmpty() || size + waiting.get(0).items().size() <= maxItemsPerBatch)) {
        Request<I, O> next = waiting.remove(0);
        size += next.items().size();
        batch.add(next);
      }
    }
    write(batch).onComplete(done -> {
      synchronized (this) {
        writing = false;
      }
      writeNext();
    });
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
