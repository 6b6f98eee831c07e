package dev.queenj.core.error;

/**
 * A Kafka transaction request that the transaction's stored state refuses; nothing was changed. The reason is what a
 * protocol maps to its own error (Kafka: one code each).
 */
public final class TransactionRefusedException extends QueenException {

  /** Why a transaction request was refused. */
  public enum Reason {
    /** The transactional id is unknown, or holds another producer id. */
    UNKNOWN_PRODUCER,
    /** A newer producer with the same transactional id (a higher epoch) took over: this one is a zombie. */
    FENCED,
    /** The request does not fit where the transaction stands (a partition not added, an end of no transaction). */
    INVALID_STATE
  }

  private final Reason reason;

  public TransactionRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
