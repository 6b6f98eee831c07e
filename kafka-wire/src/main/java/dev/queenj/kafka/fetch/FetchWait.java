package dev.queenj.kafka.fetch;

import dev.queenj.core.log.LogSlice;
import dev.queenj.core.notify.AppendSignal;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fetch parked until it is satisfied (min_bytes) or max_wait_ms passed: it listens for appends to its queues
 * before its first read, so no append between that read and parking can be missed, and reads again on each append
 * (one read at a time; appends during a read cause one more). When the time is up it reads once more — the safety
 * net for appends this process was not told about (another instance) — and answers whatever that finds.
 */
final class FetchWait {
  private static final Logger LOG = LoggerFactory.getLogger(FetchWait.class);

  private final Vertx vertx;
  private final Supplier<CompletionStage<List<LogSlice>>> read;
  private final Predicate<List<LogSlice>> satisfied;
  private final CompletableFuture<List<LogSlice>> answer = new CompletableFuture<>();
  private final List<AutoCloseable> listening = new ArrayList<>();
  private long timer = -1;
  private boolean reading;
  private boolean again;
  private boolean timedOut;

  private FetchWait(Vertx vertx, Supplier<CompletionStage<List<LogSlice>>> read,
      Predicate<List<LogSlice>> satisfied) {
    this.vertx = vertx;
    this.read = read;
    this.satisfied = satisfied;
  }

  static CompletionStage<List<LogSlice>> start(Vertx vertx, AppendSignal signal, Collection<String> queues,
      long maxWaitMs, Supplier<CompletionStage<List<LogSlice>>> read, Predicate<List<LogSlice>> satisfied) {
    FetchWait wait = new FetchWait(vertx, read, satisfied);
    synchronized (wait) {
      for (String queue : queues) {
        wait.listening.add(signal.listen(queue, wait::readAgain));
      }
      wait.timer = vertx.setTimer(Math.max(1, maxWaitMs), id -> wait.timeUp());
    }
    wait.readAgain();
    return wait.answer;
  }

  private void timeUp() {
    synchronized (this) {
      timedOut = true;
    }
    readAgain();
  }

  private void readAgain() {
    synchronized (this) {
      if (answer.isDone()) {
        return;
      }
      if (reading) {
        again = true;
        return;
      }
      reading = true;
    }
    CompletionStage<List<LogSlice>> next;
    try {
      next = read.get();
    } catch (RuntimeException e) {
      next = CompletableFuture.failedFuture(e);
    }
    next.whenComplete((slices, failure) -> {
      boolean repeat;
      synchronized (this) {
        reading = false;
        if (failure != null) {
          finish(null, failure);
          return;
        }
        if (timedOut || satisfied.test(slices)) {
          finish(slices, null);
          return;
        }
        repeat = again;
        again = false;
      }
      if (repeat) {
        readAgain();
      }
    });
  }

  /** Called holding the lock. */
  private void finish(List<LogSlice> slices, Throwable failure) {
    vertx.cancelTimer(timer);
    for (AutoCloseable listener : listening) {
      try {
        listener.close();
      } catch (Exception e) {
        LOG.debug("removing an append listener failed", e);
      }
    }
    if (failure != null) {
      answer.completeExceptionally(failure);
    } else {
      answer.complete(slices);
    }
  }
}
