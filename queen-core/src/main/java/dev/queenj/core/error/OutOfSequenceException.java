package dev.queenj.core.error;

/**
 * An idempotent producer's batch does not continue its sequence in the log (a gap, or a new producer or epoch that
 * does not start at 0); nothing of it was stored.
 */
public final class OutOfSequenceException extends QueenException {
  public OutOfSequenceException(String message) {
    super(message);
  }
}
