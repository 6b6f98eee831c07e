package dev.queenj.core.kafkatxn;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs work for one key after the work submitted before it for that key has finished, in submission order. A producer
 * pipelines up to five Produce requests; their staging transactions would otherwise race for the transactional id's
 * row lock and could stage batches out of sequence. Across instances the row lock still decides; this only keeps one
 * instance's order.
 */
final class SerialKeys {
  private final Map<String, Future<?>> tails = new HashMap<>();

  <T> Future<T> run(String key, Supplier<Future<T>> work) {
    Promise<T> mine = Promise.promise();
    Future<T> done = mine.future();
    Future<?> previous;
    synchronized (this) {
      previous = tails.put(key, done);
    }
    Runnable start = () -> {
      Future<T> ran;
      try {
        ran = work.get();
      } catch (RuntimeException e) {
        ran = Future.failedFuture(e);
      }
      ran.onComplete(result -> {
        synchronized (this) {
          tails.remove(key, done);
        }
        mine.handle(result);
      });
    };
    if (previous == null) {
      start.run();
    } else {
      previous.onComplete(ignored -> start.run());
    }
    return done;
  }
}
