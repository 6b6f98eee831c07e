package dev.queenj.kafka.api;

import io.vertx.core.Future;
import java.util.concurrent.CompletionStage;

/**
 * The one bridge from the core's Vert.x futures to the {@link CompletionStage}s handlers return. The stage completes
 * on whichever thread Postgres answered on; the connection hops back to its own event loop before it writes.
 */
public final class Stages {
  private Stages() {}

  public static <T> CompletionStage<T> of(Future<T> future) {
    return future.toCompletionStage();
  }
}
