package dev.queenj.core.error;

/** The request names one thing to act on, and it does not exist (any more); nothing was changed. */
public final class NotFoundException extends QueenException {
  public NotFoundException(String message) {
    super(message);
  }
}
