package dev.queenj.server;

/** The server could not start; the message is one line meant for the person who started it. */
public final class StartupException extends RuntimeException {
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
