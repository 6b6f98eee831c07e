package dev.queenj.core.storage;

import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells the failures that mean "Postgres cannot be reached or is not answering right now" from the rest: a refused
 * or broken connection, a server shutting down or starting up, no free connection within its deadline. Such a
 * failure says nothing about the request itself; the same request may well succeed in a moment, so protocols answer
 * it as retriable (HTTP 503, a retriable Kafka error code) and pushes may go to the outage buffer.
 */
public final class DatabaseUnavailable {
  /**
   * SQLSTATEs of a server that cannot serve anybody right now: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
   * cannot_connect_now (starting up or in recovery), 53300 too_many_connections; and class 08, connection exceptions.
   */
  private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

  private DatabaseUnavailable() {}

  /** Whether {@code failure}, or any of its causes, says the database is unreachable rather than the work wrong. */
  public static boolean is(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof PgException pg) {
        String state = pg.getSqlState();
        return state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state));
      }
      if (cause instanceof ClosedConnectionException || cause instanceof IOException
          || cause instanceof TimeoutException || cause instanceof NoStackTraceTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
