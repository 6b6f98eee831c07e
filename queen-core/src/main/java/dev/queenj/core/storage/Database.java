package dev.queenj.core.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
  /**
   * Connections of the {@linkplain #genericPlanPool() generic-plan pool}: one per core this process may use, at
   * least two and at most 16. The group commit of appends writes this many batches at once, one per connection.
   * More writers than cores only contend: on two cores, two stored Kafka produce 5-15 % faster than four (less
   * waiting for the messages table's extension lock and for WAL insertion), six no faster, and native pushes and
   * pops were as fast with two as with four.
   */
  private static final String PING = Sql.load(Database.class, "database_ping.sql");
  public static final int GENERIC_PLAN_CONNECTIONS =
      Math.max(2, Math.min(16, Runtime.getRuntime().availableProcessors()));

  /** The pools' names, as Vert.x's metrics SPI is told them (the server's pool gauges are tagged with them). */
  public static final String POOL_NAME = "queen";
  public static final String GENERIC_PLAN_POOL_NAME = "queen-generic-plan";

  private final Pool pool;
  private final Pool genericPlanPool;
  private final DatabaseTimeouts timeouts;
  /** How the pools connect; null for a database made of a given pool. */
  private final PgConnectOptions connectOptions;

  /** {@link #connect(Vertx, String, int, DatabaseTimeouts)} with the default timeouts. */
  public static Database connect(Vertx vertx, String url, int poolSize) {
    return connect(vertx, url, poolSize, DatabaseTimeouts.DEFAULTS);
  }

  /**
   * A pool of {@code poolSize} connections to {@code url} (read by {@link PostgresUrl}), and the
   * {@link #GENERIC_PLAN_CONNECTIONS} connections of the generic-plan pool. Connections are opened when needed and
   * opened again after Postgres closed them (a restart, a network blip): the pool drops a closed connection and the
   * next request opens a new one.
   */
  public static Database connect(Vertx vertx, String url, int poolSize, DatabaseTimeouts timeouts) {
    PgConnectOptions connect = PostgresUrl.parse(url)
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheSqlLimit(PREPARED_STATEMENT_MAX_CHARS)
        .setPipeliningLimit(PIPELINING_LIMIT)
        .setConnectTimeout(timeouts.connectMs())
        // a peer that vanished without closing (a host gone, a cable pulled) is noticed by the kernel
        .setTcpKeepAlive(true)
        .addProperty("statement_timeout", String.valueOf(timeouts.statementMs()));
    PgConnectOptions generic = new PgConnectOptions(connect).addProperty("plan_cache_mode", "force_generic_plan");
    return new Database(pool(vertx, POOL_NAME, connect, poolSize, timeouts),
        pool(vertx, GENERIC_PLAN_POOL_NAME, generic, GENERIC_PLAN_CONNECTIONS, timeouts), timeouts, connect);
  }

  private static Pool pool(Vertx vertx, String name, PgConnectOptions connect, int size, DatabaseTimeouts timeouts) {
    PoolOptions options = new PoolOptions().setName(name).setMaxSize(size)
        .setEventLoopSize(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE)
        .setConnectionTimeout(timeouts.acquireMs()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    return PgBuilder.pool().with(options).connectingTo(connect).using(vertx).build();
  }

  /** A database whose statements all run on {@code pool}, left to Postgres to plan. */
  public Database(Pool pool) {
    this(pool, pool, DatabaseTimeouts.DEFAULTS, null);
  }

  private Database(Pool pool, Pool genericPlanPool, DatabaseTimeouts timeouts, PgConnectOptions connectOptions) {
    this.pool = pool;
    this.genericPlanPool = genericPlanPool;
    this.timeouts = timeouts;
    this.connectOptions = connectOptions;
  }

  /**
   * A connection of its own outside the pools, for {@code LISTEN} (a pooled connection would be handed to others
   * and lose its subscriptions), reconnected by its owner; empty for a database made of a given pool, which knows
   * no address.
   */
  public Optional<PgSubscriber> subscriber(Vertx vertx) {
    return Optional.ofNullable(connectOptions).map(options -> PgSubscriber.subscriber(vertx,
        new PgConnectOptions(options)));
  }

  /** How long storage steps may take; protocols give a request's storage work {@code statementMs()}. */
  public DatabaseTimeouts timeouts() {
    return timeouts;
  }

  /**
   * One round trip to Postgres, failed when it takes longer than the connect timeout: a health check that hangs
   * along with a hanging database tells nobody anything.
   */
  public Future<Void> ping() {
    return pool.query(PING).execute().<Void>mapEmpty().timeout(timeouts.connectMs(), TimeUnit.MILLISECONDS);
  }

  public <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work);
  }

  /** Connections on which Postgres chooses, per execution, between a custom plan and the statement's generic one. */
  public Pool pool() {
    return pool;
  }

  /**
   * Connections on which every statement runs its generic plan, made once per connection: for statements that look
   * every row up by key, whose best plan depends neither on the values nor on how large the tables are. Left to
   * choose, Postgres plans such a statement afresh on every execution when its generic plan looks costlier on paper
   * (arrays of unknown size): {@code message_append.sql} spent 0.7 ms planning per execution, a third of its running
   * time (pg_stat_statements with track_planning). Plans made while a table was small are replaced once
   * {@link PlannerStatistics} analyzes it grown. Statements whose plan depends on the tables' sizes (what pops scan)
   * stay on {@link #pool()}.
   */
  public Pool genericPlanPool() {
    return genericPlanPool;
  }

  public Future<Void> close() {
    return genericPlanPool == pool ? pool.close() : genericPlanPool.close().compose(closed -> pool.close());
  }
}
