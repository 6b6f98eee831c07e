package dev.queenj.core.push;

import dev.queenj.core.queue.QueueCatalog;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * The one retry every append takes: once more when the queues changed under it ({@link QueueChangedException}: they
 * are forgotten, so the retry resolves them again) or a concurrent append conflicted with it
 * ({@link AppendConflictException}).
 */
public final class AppendRetry {
  private AppendRetry() {}

  public static <T> Future<T> once(QueueCatalog queues, Supplier<Future<T>> attempt) {
    return attempt.get().recover(failure -> {
      if (failure instanceof QueueChangedException changed) {
        changed.queues().forEach(queues::forget);
        return attempt.get();
      }
      if (failure instanceof AppendConflictException) {
        return attempt.get();
      }
      return Future.failedFuture(failure);
    });
  }
}
