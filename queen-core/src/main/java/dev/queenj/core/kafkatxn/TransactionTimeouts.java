package dev.queenj.core.kafkatxn;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's transaction timeout: every interval, transactions open longer than their {@code transaction.timeout.ms}
 * are aborted (what they staged is deleted) and their epoch bumped, so the producer that left them is fenced, as
 * Kafka's coordinator does. This is also what ends transactions left open by a crash, of a producer or of a server.
 * Bounded batches, each one short statement; several instances may run it at once ({@code SKIP LOCKED}).
 */
public final class TransactionTimeouts {
  /** Transactions aborted per statement. */
  static final int BATCH = 100;
  private static final Logger LOG = LoggerFactory.getLogger(TransactionTimeouts.class);
  private static final String EXPIRE = Sql.load(TransactionTimeouts.class, "transactions_expire.sql");

  private final Database database;
  private volatile boolean stopped = true;

  public TransactionTimeouts(Database database) {
    this.database = database;
  }

  /** Looks for expired transactions every {@code intervalMs} until stopped. */
  public void start(Vertx vertx, long intervalMs) {
    stopped = false;
    schedule(vertx, intervalMs);
  }

  public void stop() {
    stopped = true;
  }

  private void schedule(Vertx vertx, long intervalMs) {
    vertx.setTimer(intervalMs, id -> {
      if (stopped) {
        return;
      }
      abortExpired()
          .onFailure(e -> LOG.warn("aborting timed-out transactions failed (the next run retries): {}", e.toString()))
          .onComplete(done -> {
            if (!stopped) {
              schedule(vertx, intervalMs);
            }
          });
    });
  }

  /** Aborts every transaction past its timeout now, in batches; answers how many. */
  public Future<Integer> abortExpired() {
    return database.pool().preparedQuery(EXPIRE).execute(Tuple.of(BATCH)).compose(rows -> {
      rows.forEach(row -> LOG.info("aborted transaction {}: open longer than its transaction.timeout.ms",
          row.getString(0)));
      return rows.size() < BATCH ? Future.succeededFuture(rows.size())
          : abortExpired().map(more -> more + rows.size());
    });
  }
}
