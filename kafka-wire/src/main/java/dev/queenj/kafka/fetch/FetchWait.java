package dev.queenj.kafka.fetch;

import dev.queenj.core.log.LogAppend;
import dev.queenj.core.log.LogSlice;
import dev.queenj.core.notify.AppendSignal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fetch parked until it is satisfied (min_bytes) or max_wait_ms passed: it listens for appends to its queues
 * before its first read, so no append between that read and parking can be missed. An append that continues what
 * the last read found (told by the appender, see {@link AppendSignal}) extends it without reading; any other append
 * makes it read again (one read at a time; appends during a read cause one more). When the time is up it reads once
 * more — the safety net for appends this process was not told about (another instance) — and answers whatever that
 * finds. Appends are taken on the fetch's own context, never on the committing thread.
 */
final class FetchWait {
  private static final Logger LOG = LoggerFactory.getLogger(FetchWait.class);

  private final Vertx vertx;
  private final Context context;
  private final Supplier<CompletionStage<List<LogSlice>>> read;
  private final BiFunction<List<LogSlice>, List<LogAppend>, List<LogSlice>> extend;
  private final Predicate<List<LogSlice>> satisfied;
  private final CompletableFuture<List<LogSlice>> answer = new CompletableFuture<>();
  private final List<AutoCloseable> listening = new ArrayList<>();
  private long timer = -1;
  private boolean reading;
  private boolean again;
  private boolean timedOut;
  /** What the partitions hold as far as this fetch knows: the last read, extended by the appends since. */
  private List<LogSlice> known;

  private FetchWait(Vertx vertx, Supplier<CompletionStage<List<LogSlice>>> read,
      BiFunction<List<LogSlice>, List<LogAppend>, List<LogSlice>> extend, Predicate<List<LogSlice>> satisfied) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.read = read;
    this.extend = extend;
    this.satisfied = satisfied;
  }

  /**
   * {@code extend} answers the slices with the appends added when every append continues its log's slice, else
   * null (read instead).
   */
  static CompletionStage<List<LogSlice>> start(Vertx vertx, AppendSignal signal, Collection<String> queues,
      long maxWaitMs, Supplier<CompletionStage<List<LogSlice>>> read,
      BiFunction<List<LogSlice>, List<LogAppend>, List<LogSlice>> extend, Predicate<List<LogSlice>> satisfied) {
    FetchWait wait = new FetchWait(vertx, read, extend, satisfied);
    synchronized (wait) {
      for (String queue : queues) {
        wait.listening.add(signal.listen(queue, appends -> wait.context.runOnContext(v -> wait.appended(appends))));
      }
      wait.timer = vertx.setTimer(Math.max(1, maxWaitMs), id -> wait.timeUp());
    }
    wait.readAgain();
    return wait.answer;
  }

  private void appended(List<LogAppend> appends) {
    synchronized (this) {
      if (answer.isDone()) {
        return;
      }
      List<LogSlice> extended = reading || known == null || appends.isEmpty() ? null : extend.apply(known, appends);
      if (extended != null) {
        known = extended;
        if (satisfied.test(extended)) {
          finish(extended, null);
        }
        return;
      }
    }
    readAgain();
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
        known = slices;
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
