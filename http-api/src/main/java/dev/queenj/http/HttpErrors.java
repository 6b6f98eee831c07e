package dev.queenj.http;

import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.error.OperationRejectedException;
import dev.queenj.core.error.QueenException;
import dev.queenj.core.error.ServiceUnavailableException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: core errors by type, Postgres errors by SQLSTATE, anything else
 * a 500 with a log line. Never a stack trace in a response.
 */
public final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    if (failure == null) {
      send(ctx, status < 400 ? 500 : status, messageForStatus(status));
      return;
    }
    if (failure instanceof QueenException queen) {
      send(ctx, statusOf(queen), queen.getMessage());
      return;
    }
    if (failure instanceof PgException pg && "22P02".equals(pg.getSqlState())) {
      send(ctx, 400, "Invalid value: " + pg.getErrorMessage());
      return;
    }
    LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
    send(ctx, 500, "Internal server error");
  }

  static int statusOf(QueenException e) {
    if (e instanceof InvalidRequestException) {
      return 400;
    }
    if (e instanceof ServiceUnavailableException) {
      return 503;
    }
    if (e instanceof OperationRejectedException) {
      return 400;
    }
    return 500;
  }

  static String messageForStatus(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 404, 405 -> "Not found";
      case 413 -> "Request body too large";
      default -> "Internal server error";
    };
  }

  public static void send(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    Replies.json(ctx, status == 405 ? 404 : status, Json.object().put("error", message));
  }
}
