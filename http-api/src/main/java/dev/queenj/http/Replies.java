package dev.queenj.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers, and turns a handler's future into an answer or into the failure handler. */
public final class Replies {
  private Replies() {}

  public static void json(RoutingContext ctx, int status, JsonNode body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.encode(body));
  }

  /** Answers 200 with the future's body, or hands its failure to {@link HttpErrors}. */
  public static void ok(RoutingContext ctx, Future<? extends JsonNode> body) {
    respond(ctx, 200, body);
  }

  public static void respond(RoutingContext ctx, int status, Future<? extends JsonNode> body) {
    body.onComplete(done -> {
      if (done.succeeded()) {
        json(ctx, status, done.result());
      } else if (!ctx.response().ended()) {
        ctx.fail(done.cause());
      }
    });
  }
}
