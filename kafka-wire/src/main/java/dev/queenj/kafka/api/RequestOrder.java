package dev.queenj.kafka.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A connection's request order, for work that must keep it while requests are pipelined: a Produce request's
 * appends must reach storage after those of the request before it, however long each one's preparation (queue
 * lookups, topic configs) took. One per connection, used on its event loop.
 */
public final class RequestOrder {
  private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

  /**
   * Runs {@code step} on what {@code prepared} yields once the step of every earlier request of the connection that
   * called this has run (a step that submits work has run once it returned, submitted). Call it while handling the
   * request, before returning: the call takes the request's place in the order.
   */
  public <P, T> CompletionStage<T> inOrder(CompletionStage<P> prepared, Function<P, CompletionStage<T>> step) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> earlier = last;
    last = mine;
    return prepared.thenCombine(earlier, (value, done) -> value)
        .thenCompose(value -> {
          try {
            return step.apply(value);
          } finally {
            mine.complete(null);
          }
        })
        // a failed preparation takes no step, and must not hold up the requests after it
        .whenComplete((result, failure) -> mine.complete(null));
  }
}
