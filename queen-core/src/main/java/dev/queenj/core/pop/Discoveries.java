package dev.queenj.core.pop;

import io.vertx.core.Future;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Coalesces a group's discoveries of a queue within this instance: one runs at a time, and the pops that want one
 * meanwhile share it. Under load many consumers pop at once, and each discovering the same new messages would read
 * them again and rewrite the same cursors' heads. A pop wants a discovery when something was appended to the queue
 * through this instance since the last one began; one that then finds no candidate discovers anyway, since other
 * instances append too.
 */
final class Discoveries {
  private record Key(UUID queueId, String group) {}

  /** One group's discovery of one queue: the one running, and the queue's append count when the last one began. */
  private static final class State {
    Future<Boolean> running;
    long coveredAppends = -1;
  }

  private final ConcurrentHashMap<Key, State> states = new ConcurrentHashMap<>();

  /**
   * A discovery that covers every append counted so far ({@code appends}): the running one if it began after them, a
   * new one otherwise, or, unless {@code always}, none (null) when the last one already covered them.
   *
   * @param discovery starts a discovery; its answer is whether logs hold more than one discovery reads
   */
  Future<Boolean> covering(UUID queueId, String group, long appends, boolean always,
      Supplier<Future<Boolean>> discovery) {
    State state = states.computeIfAbsent(new Key(queueId, group), key -> new State());
    synchronized (state) {
      if (state.running != null) {
        if (state.coveredAppends >= appends) {
          return state.running;
        }
        // it began before some of those appends: wait for it, then start one that covers them, unless another pop
        // did meanwhile, whose discovery then answered for them
        return state.running.transform(done -> {
          Future<Boolean> next = covering(queueId, group, appends, always, discovery);
          return next != null ? next : Future.succeededFuture(done.succeeded() && done.result());
        });
      }
      if (!always && state.coveredAppends >= appends) {
        return null;
      }
      state.coveredAppends = appends;
      Future<Boolean> started = discovery.get();
      state.running = started;
      started.onComplete(done -> {
        synchronized (state) {
          state.running = null;
        }
      });
      return started;
    }
  }
}
