package dev.queenj.core.error;

/** The request itself is malformed or names something it may not; nothing was changed. */
public final class InvalidRequestException extends QueenException {
  public InvalidRequestException(String message) {
    super(message);
  }
}
