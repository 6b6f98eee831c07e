package dev.queenj.core.error;

/** An idempotent producer's batch carries an older epoch than the log has seen from that producer: it is fenced. */
public final class StaleEpochException extends QueenException {
  public StaleEpochException(String message) {
    super(message);
  }
}
