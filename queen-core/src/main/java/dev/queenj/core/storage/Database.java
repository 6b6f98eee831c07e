package dev.queenj.core.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * The scoped storage API: every multi-statement operation runs inside {@link #inTransaction}, which commits when the
 * returned future succeeds and rolls back when it fails, and always releases the connection.
 */
public final class Database {
  private final Pool pool;

  public Database(Pool pool) {
    this.pool = pool;
  }

  public <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work);
  }

  public Pool pool() {
    return pool;
  }

  public Future<Void> close() {
    return pool.close();
  }
}
