package dev.queenj.core.push;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * A check that must run in the appending transaction while the log heads are locked, so that what it reads cannot
 * change before the append commits: Kafka's idempotent-producer sequences are the user. The core knows nothing of
 * what is checked; it only runs the guard at the right moment.
 */
public interface AppendGuard {
  /**
   * What the guard's decision depends on (for Kafka: producer, queue and Kafka partition). Guards of different scopes
   * are decided together in one transaction; guards of one scope never are.
   */
  String scope();

  /**
   * Runs after the heads were locked, before anything is stored. {@code false} stores nothing of this batch (a
   * duplicate); a failed future rolls back and fails the append. May run again if the transaction is retried.
   */
  Future<Boolean> admit(SqlConnection tx);

  /** Runs after the append, in the same transaction, with one outcome per item of this batch. */
  Future<Void> appended(SqlConnection tx, List<PushOutcome> outcomes);
}
