package dev.queenj.client.streams;

/**
 * The query is registered with another operator chain (HTTP 409): run it with {@code RunOptions.reset(true)} to
 * drop its state, or under a new query id. The message is the server's ({@code config_hash mismatch: ...}).
 */
public final class ConfigHashMismatchException extends RuntimeException {
  ConfigHashMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
