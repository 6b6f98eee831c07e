package dev.queenj.core.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * The scoped storage API: every multi-statement operation runs inside {@link #inTransaction}, which commits when the
 * returned future succeeds and rolls back when it fails, and always releases the connection.
 */
public final class Database {
  /**
   * Statements are prepared once per connection and kept. The driver caches only statements up to 2048 characters
   * by default; ours are fixed resources, several of them longer with their comments, and one parsed and planned on
   * every execution costs more than the work it does.
   */
  private static final int PREPARED_STATEMENT_MAX_CHARS = 64 * 1024;
  /** Statements sent on a connection before the first answer: group-committed and pipelined work shares one. */
  private static final int PIPELINING_LIMIT = 256;

  private final Pool pool;

  /** A pool of {@code poolSize} connections to {@code url} ({@code postgresql://user:pass@host:port/db}). */
  public static Database connect(Vertx vertx, String url, int poolSize) {
    PgConnectOptions connect = PgConnectOptions.fromUri(url.replaceFirst("^postgres://", "postgresql://"))
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheSqlLimit(PREPARED_STATEMENT_MAX_CHARS)
        .setPipeliningLimit(PIPELINING_LIMIT);
    PoolOptions pool = new PoolOptions().setMaxSize(poolSize).setEventLoopSize(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
    return new Database(PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build());
  }

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
