package dev.queenj.http;

import dev.queenj.core.error.EncryptionException;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.error.NotFoundException;
import dev.queenj.core.error.OperationRejectedException;
import dev.queenj.core.error.QueenException;
import dev.queenj.core.error.RepeatedErrorLog;
import dev.queenj.core.error.ServiceUnavailableException;
import dev.queenj.core.storage.DatabaseUnavailable;
import dev.queenj.core.storage.PostgresError;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: core errors by type, Postgres errors by SQLSTATE, undecodable
 * HTTP by Netty's verdict, anything else a 500 with a log line. Never a stack trace in a response.
 */
public final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
  private static final RepeatedErrorLog FAILURES = new RepeatedErrorLog(LOG, RepeatedErrorLog.DEFAULT_INTERVAL);

  static final String DATABASE_UNAVAILABLE = "Database unavailable, try again";

  private HttpErrors() {}

  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    if (failure == null) {
      send(ctx, status < 400 ? 500 : status, messageForStatus(status));
      return;
    }
    if (failure instanceof QueenException queen) {
      if (queen instanceof EncryptionException) {
        // the operator's to fix (a key to configure), so logged, as any 500; the client is told why too
        String request = ctx.request().method() + " " + ctx.request().path();
        FAILURES.error(queen.getMessage(), request + " failed: " + queen.getMessage(), null);
      }
      send(ctx, statusOf(queen), queen.getMessage());
      return;
    }
    Optional<PostgresError> refused = PostgresError.of(failure);
    if (refused.isPresent() && isInputError(refused.get().sqlState())) {
      send(ctx, 400, "Invalid value: " + refused.get().message());
      return;
    }
    if (DatabaseUnavailable.is(failure)) {
      // nothing wrong with the request: the same request may succeed in a moment, which 503 tells clients
      LOG.warn("{} {}: the database is unavailable: {}", ctx.request().method(), ctx.request().path(),
          failure.toString());
      send(ctx, 503, DATABASE_UNAVAILABLE);
      return;
    }
    if (failure instanceof HttpClosedException) {
      // the client went away mid-request: nobody to answer and nothing wrong with the server
      return;
    }
    String request = ctx.request().method() + " " + ctx.request().path();
    FAILURES.error(request + ": " + failure, request + " failed", failure);
    send(ctx, 500, "Internal server error");
  }

  /**
   * SQLSTATEs that only a value sent by the client can cause: class 22 (data exception: a NUL character in text, a
   * malformed value, a number out of range) and 54000 (a value too large for an index entry). Anything else from
   * Postgres is our fault or the database's, hence a 500.
   */
  static boolean isInputError(String sqlState) {
    return sqlState != null && (sqlState.startsWith("22") || sqlState.equals("54000"));
  }

  /**
   * Requests Netty could not even decode (a broken request line or header, a header too large) never reach the
   * router; they get the same JSON errors, with the statuses Vert.x would send, and their connection is closed
   * because the rest of its bytes cannot be trusted.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = 400;
    String message = "Malformed HTTP request";
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "Request line too long";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "Request headers too large";
    }
    HttpServerResponse response = request.response();
    HttpApi.cors(response);
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(Json.encode(Json.object().put("error", message)))
        .onComplete(done -> request.connection().close());
  }

  static int statusOf(QueenException e) {
    if (e instanceof InvalidRequestException) {
      return 400;
    }
    if (e instanceof NotFoundException) {
      return 404;
    }
    if (e instanceof ServiceUnavailableException) {
      return 503;
    }
    if (e instanceof OperationRejectedException) {
      return 400;
    }
    return 500;
  }

  /** Messages for failures Vert.x raises with a bare status, before any of our handlers ran. */
  static String messageForStatus(int status) {
    return switch (status) {
      // Vert.x fails with a bare 400 when the path or query string cannot be URL-decoded (%ZZ, a cut-off %E0%A4)
      case 400 -> "Malformed request URL: check its percent-encoding";
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
