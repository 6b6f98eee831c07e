package dev.queenj.core.error;

/**
 * A well-formed operation that the current state refuses (message not found, lease invalid, duplicate inside a
 * transaction). Raised inside a transaction it rolls the whole transaction back.
 */
public final class OperationRejectedException extends QueenException {
  private final int operationIndex;

  public OperationRejectedException(int operationIndex, String message) {
    super(message);
    this.operationIndex = operationIndex;
  }

  /** Position of the refused operation in its request, or -1 when it does not belong to one. */
  public int operationIndex() {
    return operationIndex;
  }
}
