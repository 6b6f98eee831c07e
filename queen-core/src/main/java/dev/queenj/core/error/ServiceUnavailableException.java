package dev.queenj.core.error;

/** The server is shutting down or cannot reach its database. */
public final class ServiceUnavailableException extends QueenException {
  public ServiceUnavailableException(String message) {
    super(message);
  }
}
