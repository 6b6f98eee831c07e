package dev.queenj.core.buffer;

import dev.queenj.core.Uuid7;
import dev.queenj.core.buffer.PushBuffer.Segment;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.maintenance.MaintenanceMode;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.push.PushService;
import dev.queenj.core.storage.DatabaseUnavailable;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native pushes that Postgres cannot take right now: while it is unreachable, or while push maintenance is on, a
 * push request is appended to the {@link PushBuffer} and answered once it is on disk; a replayer then stores the
 * buffered items in order through the normal push path once Postgres answers again and maintenance is off.
 *
 * <p>Order: while anything is buffered, new pushes are buffered too, behind it, so a push answered later can never
 * be stored before one answered earlier in the same partition. Under a steady stream of pushes the buffer would then
 * never be found empty, so once the replay is down to its last batch ({@link PushBuffer#handingOver()}), new pushes
 * wait in memory, unanswered, for that batch to commit and then go straight to Postgres; should it fail, they are
 * buffered behind it. The wait is one replay batch (a few ms to a few tens of ms).
 *
 * <p>Exactly once: a buffered item's transaction id is fixed when it is buffered (one is generated when the client
 * sent none), so an item that replay stored but whose segment was not yet deleted (a crash, a lost answer) is stored
 * again only as a duplicate, which (partition, transactionId) dedup absorbs. A segment is deleted only after all its
 * items committed.
 *
 * <p>Left open: a push whose direct attempt failed as "unavailable" after Postgres had in fact committed it (the
 * connection broke after the commit) is buffered too; with a client transaction id its replay is a duplicate, without
 * one it is stored twice.
 */
public final class OutageBuffer {
  private static final Logger LOG = LoggerFactory.getLogger(OutageBuffer.class);
  /** A replay batch: large enough to amortise a commit, small enough to be one modest statement. */
  static final int REPLAY_BATCH_ITEMS = 1_000;
  static final long REPLAY_BATCH_BYTES = 4L << 20;
  /** How soon a replay that met an unreachable database or maintenance tries again. */
  static final long RETRY_MS = 250;

  private enum Step { DRAINED, PROGRESSED, PAUSED }

  private final Vertx vertx;
  private final PushService pushes;
  private final MaintenanceMode maintenance;
  private final PushBuffer files;
  private final Context context;
  private final AtomicBoolean replaying = new AtomicBoolean();
  private final AtomicBoolean retryScheduled = new AtomicBoolean();
  private final AtomicLong replayed = new AtomicLong();
  /** Items of the segment at the head of the buffer already committed, so a resumed replay skips them. */
  private volatile Segment progressSegment;
  private volatile int progress;
  private volatile boolean stopped;
  /** Pushes waiting for the handover to end. */
  private final List<Runnable> waiting = new ArrayList<>();
  /** The items of the segment at the head, read once however often an outage makes its replay start again. */
  private volatile Segment readSegment;
  private volatile List<PushItem> readItems;

  public OutageBuffer(Vertx vertx, PushService pushes, MaintenanceMode maintenance, PushBuffer files) {
    this.vertx = vertx;
    this.pushes = pushes;
    this.maintenance = maintenance;
    this.files = files;
    this.context = vertx.getOrCreateContext();
  }

  /** Starts replaying what an earlier run left, if anything. */
  public void start() {
    kick();
  }

  /** Stops replaying after the batch in flight; the rest stays on disk for the next start. */
  public void stop() {
    stopped = true;
    releaseHeld();
  }

  public PushBuffer files() {
    return files;
  }

  public MaintenanceMode maintenance() {
    return maintenance;
  }

  /** Items replayed into Postgres since start. */
  public long replayed() {
    return replayed.get();
  }

  /** Stores the items now, or buffers them when Postgres cannot take them (see the class comment). */
  public Future<PushReceipt> push(List<PushItem> items) {
    if (maintenance.pushPaused()) {
      return buffer(items);
    }
    if (files.handingOver() && !stopped) {
      return held(items);
    }
    if (!files.isEmpty()) {
      return buffer(items);
    }
    return pushes.push(items).<PushReceipt>map(PushReceipt.Stored::new)
        .recover(failure -> DatabaseUnavailable.is(failure) ? buffer(items) : Future.failedFuture(failure));
  }

  private Future<PushReceipt> buffer(List<PushItem> items) {
    List<PushItem> fixed = new ArrayList<>(items.size());
    for (PushItem item : items) {
      fixed.add(item.transactionId() != null ? item : new PushItem(item.queue(), item.partition(),
          Uuid7.next().toString(), item.traceId(), item.payload(), item.producerSub()));
    }
    return here(files.append(fixed)).map(done -> {
      kick();
      return new PushReceipt.Buffered(fixed);
    });
  }

  /** Waits for the handover to end, then takes the push as if it just arrived. */
  private Future<PushReceipt> held(List<PushItem> items) {
    Context caller = vertx.getOrCreateContext();
    Promise<PushReceipt> answer = Promise.promise();
    synchronized (waiting) {
      // checked under the lock that release() takes after the handover ended, so no push is left waiting
      if (files.handingOver() && !stopped) {
        waiting.add(() -> caller.runOnContext(v -> push(items).onComplete(answer)));
        return answer.future();
      }
    }
    return push(items);
  }

  private void releaseHeld() {
    List<Runnable> released;
    synchronized (waiting) {
      released = new ArrayList<>(waiting);
      waiting.clear();
    }
    released.forEach(Runnable::run);
  }

  private void kick() {
    context.runOnContext(v -> replay());
  }

  private void replay() {
    if (stopped || !replaying.compareAndSet(false, true)) {
      return;
    }
    if (maintenance.pushPaused()) {
      replaying.set(false);
      retryLater();
      return;
    }
    here(files.seal(REPLAY_BATCH_ITEMS)).compose(this::replayHead).transform(this::handoverSettled)
        .onComplete(done -> {
          replaying.set(false);
          if (!files.handingOver()) {
            releaseHeld();
          }
          if (done.failed()) {
            if (!DatabaseUnavailable.is(done.cause())) {
              LOG.warn("outage buffer replay failed, trying again in {} ms: {}", RETRY_MS, done.cause().toString());
            }
            retryLater();
          } else if (done.result() == Step.PROGRESSED) {
            // more may have been appended meanwhile: only a seal that finds nothing ends the replay
            kick();
          } else if (done.result() == Step.PAUSED) {
            retryLater();
          }
        });
  }

  /** A last batch that did not commit ends the handover: the pushes waiting for it are then buffered behind it. */
  private Future<Step> handoverSettled(AsyncResult<Step> step) {
    Future<Step> same = step.succeeded() ? Future.succeededFuture(step.result()) : Future.failedFuture(step.cause());
    boolean stored = step.succeeded() && step.result() != Step.PAUSED;
    if (stored || !files.handingOver()) {
      return same;
    }
    return here(files.endHandover()).transform(ended -> same);
  }

  private void retryLater() {
    if (!stopped && retryScheduled.compareAndSet(false, true)) {
      vertx.setTimer(RETRY_MS, id -> {
        retryScheduled.set(false);
        replay();
      });
    }
  }

  /** Replays the oldest sealed segment and deletes it once all its items committed. */
  private Future<Step> replayHead(List<Segment> sealed) {
    if (sealed.isEmpty()) {
      return Future.succeededFuture(Step.DRAINED);
    }
    Segment head = sealed.get(0);
    int from = head.equals(progressSegment) ? progress : 0;
    Future<List<PushItem>> read = head.equals(readSegment) ? Future.succeededFuture(readItems)
        : here(files.read(head)).map(items -> {
          readItems = items;
          readSegment = head;
          return items;
        });
    return read.compose(items -> replayFrom(head, items, from)).compose(step -> {
      if (step == Step.PAUSED) {
        return Future.succeededFuture(step);
      }
      return here(files.drop(head)).map(dropped -> {
        LOG.info("outage buffer: replayed {} ({} items)", head.path().getFileName(), head.records());
        return Step.PROGRESSED;
      });
    });
  }

  private Future<Step> replayFrom(Segment segment, List<PushItem> items, int from) {
    if (from >= items.size()) {
      return Future.succeededFuture(Step.PROGRESSED);
    }
    if (stopped || maintenance.pushPaused()) {
      return Future.succeededFuture(Step.PAUSED);
    }
    int to = from;
    long size = 0;
    while (to < items.size() && to - from < REPLAY_BATCH_ITEMS && size < REPLAY_BATCH_BYTES) {
      byte[] payload = items.get(to).payload();
      size += payload == null ? 0 : payload.length;
      to++;
    }
    int end = to;
    return store(items.subList(from, end)).compose(stored -> {
      progressSegment = segment;
      progress = end;
      replayed.addAndGet(end - from);
      return replayFrom(segment, items, end);
    });
  }

  /**
   * Stores a batch; when Postgres refuses it for something other than being unreachable, stores its items one by one
   * so that an item it can never take (a value it refuses) is set aside instead of holding up the rest for ever.
   */
  private Future<Void> store(List<PushItem> batch) {
    return pushes.push(batch).<Void>mapEmpty().recover(failure -> {
      if (DatabaseUnavailable.is(failure)) {
        return Future.failedFuture(failure);
      }
      if (batch.size() == 1) {
        if (!refusedAsValue(failure)) {
          return Future.failedFuture(failure);
        }
        LOG.error("outage buffer: Postgres refuses a buffered item of queue {} ({}), kept in {}/rejected.log",
            batch.get(0).queue(), failure.getMessage(), files.dir());
        return here(files.reject(batch.get(0)));
      }
      Future<Void> oneByOne = Future.succeededFuture();
      for (PushItem item : batch) {
        oneByOne = oneByOne.compose(done -> store(List.of(item)));
      }
      return oneByOne;
    });
  }

  /** Class 22 (data exception) and 54000: only the value itself can cause them, so no retry will store it. */
  private static boolean refusedAsValue(Throwable failure) {
    if (failure instanceof InvalidRequestException) {
      return true;
    }
    String state = failure instanceof PgException pg ? pg.getSqlState() : null;
    return state != null && (state.startsWith("22") || state.equals("54000"));
  }

  /** The buffer thread's answers, continued on the caller's event loop. */
  private <T> Future<T> here(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext()).recover(failure -> Future.failedFuture(
        failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure));
  }
}
