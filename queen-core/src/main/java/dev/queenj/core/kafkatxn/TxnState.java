package dev.queenj.core.kafkatxn;

/**
 * Where a transactional id's transaction stands, by Kafka's names (which DescribeTransactions reports). Kafka's
 * PrepareCommit and PrepareAbort never show: a commit or abort here is one Postgres transaction.
 */
public enum TxnState {
  EMPTY("Empty"),
  ONGOING("Ongoing"),
  COMPLETE_COMMIT("CompleteCommit"),
  COMPLETE_ABORT("CompleteAbort");

  private final String stored;

  TxnState(String stored) {
    this.stored = stored;
  }

  /** Kafka's name, also the one stored. */
  public String kafkaName() {
    return stored;
  }

  static TxnState of(String stored) {
    for (TxnState state : values()) {
      if (state.stored.equals(stored)) {
        return state;
      }
    }
    throw new IllegalStateException("unknown transaction state " + stored);
  }
}
