package dev.queenj.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Every request is answered by its deadline: the storage deadline (Postgres' statement timeout), plus the time a
 * long-poll is held on purpose. A request still unanswered then gets 503, which clients retry, instead of a
 * connection that hangs on a stalled database; whatever its storage work does afterwards is not answered again.
 */
public final class RequestDeadline {
  private static final String KEY = RequestDeadline.class.getName();
  static final String MESSAGE = "The database did not answer in time, try again";

  private final Vertx vertx;
  private final RoutingContext ctx;
  private final long deadlineMs;
  private long timerId;

  private RequestDeadline(Vertx vertx, RoutingContext ctx, long deadlineMs) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.deadlineMs = deadlineMs;
  }

  /** Starts the clock of {@code ctx}'s request; it stops when the answer ends. */
  static void start(Vertx vertx, RoutingContext ctx, long deadlineMs) {
    RequestDeadline deadline = new RequestDeadline(vertx, ctx, deadlineMs);
    ctx.put(KEY, deadline);
    deadline.arm(deadlineMs);
    ctx.addEndHandler(done -> vertx.cancelTimer(deadline.timerId));
  }

  /** The request is held on purpose for up to {@code heldMs} (a long-poll): its deadline starts again, that later. */
  public static void hold(RoutingContext ctx, long heldMs) {
    RequestDeadline deadline = ctx.get(KEY);
    if (deadline != null) {
      deadline.vertx.cancelTimer(deadline.timerId);
      deadline.arm(deadline.deadlineMs + heldMs);
    }
  }

  private void arm(long ms) {
    timerId = vertx.setTimer(ms, fired -> HttpErrors.send(ctx, 503, MESSAGE));
  }
}
