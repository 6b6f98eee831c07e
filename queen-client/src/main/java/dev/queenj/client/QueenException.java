package dev.queenj.client;

/**
 * A call that did not get a usable answer: the server refused it (HTTP 4xx/5xx, {@link #status()} and the server's
 * {@code error} text as the message) or no answer came in time or at all ({@link Unavailable}, status 0). Failures
 * of single items inside a 200 answer (an ack of an unknown message, an expired lease) are data, never this.
 */
public class QueenException extends RuntimeException {
  private final int status;

  QueenException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status, or 0 when the server was not reached or did not answer in time. */
  public int status() {
    return status;
  }

  static QueenException of(int status, String serverMessage) {
    String message = serverMessage == null || serverMessage.isBlank() ? "HTTP " + status : serverMessage;
    if (status == 401 || status == 403) {
      return new Unauthorized(status, message);
    }
    if (status >= 500) {
      return new ServerError(status, message);
    }
    return new BadRequest(status, message);
  }

  /** 4xx other than 401/403: the request was wrong (bad input, unknown route, body too large). */
  public static final class BadRequest extends QueenException {
    BadRequest(int status, String message) {
      super(status, message, null);
    }
  }

  /** 401 (no or bad token) or 403 (the token's role may not do this). */
  public static final class Unauthorized extends QueenException {
    Unauthorized(int status, String message) {
      super(status, message, null);
    }
  }

  /** 5xx: the server failed; the request may be retried. */
  public static final class ServerError extends QueenException {
    ServerError(int status, String message) {
      super(status, message, null);
    }
  }

  /** No answer: connection refused or reset, or the call's deadline passed. The outcome is unknown. */
  public static final class Unavailable extends QueenException {
    Unavailable(String message, Throwable cause) {
      super(0, message, cause);
    }
  }
}
