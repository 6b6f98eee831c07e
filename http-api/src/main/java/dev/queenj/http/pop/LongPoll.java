package dev.queenj.http.pop;

import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.pop.PopRequest;
import dev.queenj.core.pop.PopResult;
import dev.queenj.core.pop.PopService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * One parked pop. It listens for appends to its queue for its whole life, so a push that commits while a pop
 * attempt is running is never missed: the attempt is simply repeated. A slow recheck covers what no push announces
 * (delays, retry delays, expiring leases). All state is touched on the request's own context.
 */
public final class LongPoll {
  /** Recheck for visibility changes that no append announces. Appends wake a parked pop at once. */
  static final long RECHECK_MS = 1000;

  private final Vertx vertx;
  private final Context context;
  private final PopService pops;
  private final PopRequest request;
  private final long deadlineNanos;
  private final Promise<PopResult> promise = Promise.promise();
  private final AutoCloseable listening;
  private final Runnable onDone;
  private boolean attempting;
  private boolean signaled;
  private long timerId = -1;

  LongPoll(Vertx vertx, PopService pops, AppendSignal signal, PopRequest request, long timeoutMs, Runnable onDone) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pops = pops;
    this.request = request;
    this.deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000L;
    this.onDone = onDone;
    this.listening = signal.listen(request.queue(), appended -> context.runOnContext(v -> onAppend()));
  }

  void start() {
    attempt();
  }

  /** The first delivering answer, or null once the timeout passed without one. */
  public Future<PopResult> result() {
    return promise.future();
  }

  /** Ends the wait now with the timed-out answer (client gone, server stopping). */
  public void release() {
    context.runOnContext(v -> finish(null));
  }

  private void onAppend() {
    if (attempting) {
      signaled = true;
    } else if (!promise.future().isComplete()) {
      cancelTimer();
      attempt();
    }
  }

  private void attempt() {
    if (promise.future().isComplete()) {
      return;
    }
    attempting = true;
    signaled = false;
    pops.pop(request).onComplete(done -> {
      attempting = false;
      if (done.failed()) {
        fail(done.cause());
      } else if (done.result().delivered()) {
        finish(done.result());
      } else if (remainingMs() <= 0) {
        finish(null);
      } else if (signaled) {
        attempt();
      } else {
        timerId = vertx.setTimer(Math.max(1, Math.min(remainingMs(), RECHECK_MS)), id -> {
          timerId = -1;
          attempt();
        });
      }
    });
  }

  private long remainingMs() {
    return (deadlineNanos - System.nanoTime()) / 1_000_000L;
  }

  private void finish(PopResult result) {
    if (promise.tryComplete(result)) {
      cleanUp();
    }
  }

  private void fail(Throwable cause) {
    if (promise.tryFail(cause)) {
      cleanUp();
    }
  }

  private void cleanUp() {
    cancelTimer();
    try {
      listening.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    onDone.run();
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
