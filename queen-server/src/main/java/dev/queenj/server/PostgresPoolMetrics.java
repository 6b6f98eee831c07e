package dev.queenj.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Postgres pools as the SQL client tells Vert.x's metrics SPI about them (the pools expose no counts of their
 * own): per pool ({@code pool} tag: {@code queen}, {@code queen-generic-plan}) the connections in use, the pool's
 * size, the requests waiting for a connection, and how long acquiring a connection waited; and the statements
 * Postgres or the connection failed. Everything else of the SPI stays off (null metrics), so HTTP and sockets pay
 * nothing.
 *
 * <p>Waiting requests: the SQL client 4.5 tells the SPI when a request asks for a connection ({@code submitted}) and
 * when it gets one ({@code begin}), but never about an acquisition that failed ({@code rejected} is not called): a
 * connection that could not be opened (Postgres unreachable), or, for a connection taken for a transaction, the
 * acquire timeout ({@code QUEEN_PG_ACQUIRE_TIMEOUT_MS}; a single statement waits for a connection without one). So
 * the gauge counts the requests that asked less than {@code forgetAfterMs} ago (the longer of the acquire and the
 * statement timeouts: the protocols give a request's storage work no longer) and got no connection yet; older ones
 * are taken as failed and forgotten when the gauge is read, and at most once a second when a connection is asked
 * for, so that they take no memory for long when nobody reads it. A request still queued after its caller gave up is
 * not counted.
 */
final class PostgresPoolMetrics implements VertxMetrics {
  static final String IN_USE = "queen.db.pool.connections.in.use";
  static final String MAX = "queen.db.pool.connections.max";
  static final String ACQUIRE = "queen.db.pool.acquire";
  static final String FAILED = "queen.db.statements.failed";
  static final String WAITING = "queen.db.pool.requests.waiting";
  /** How often asking for a connection forgets the acquisitions that failed unreported, at most. */
  private static final long PRUNE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final String SQL = "sql";

  private final MeterRegistry registry;
  private final FailedStatements failed;
  private final long forgetAfterNanos;

  /** {@code forgetAfterMs}: how long after asking a request without a connection is still counted as waiting. */
  PostgresPoolMetrics(MeterRegistry registry, long forgetAfterMs) {
    this.registry = registry;
    this.forgetAfterNanos = TimeUnit.MILLISECONDS.toNanos(forgetAfterMs);
    this.failed = new FailedStatements(Counter.builder(FAILED)
        .description("statements that failed (a Postgres error, a lost connection), any pool").register(registry));
  }

  @Override
  public PoolMetrics<?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
    if (!SQL.equals(poolType)) {
      return null;
    }
    AtomicInteger inUse = new AtomicInteger();
    Gauge.builder(IN_USE, inUse, AtomicInteger::get).description("Postgres connections lent out now")
        .tag("pool", poolName).register(registry);
    Gauge.builder(MAX, () -> maxPoolSize).description("the most connections the pool opens")
        .tag("pool", poolName).register(registry);
    Timer acquire = Timer.builder(ACQUIRE).description("waits for a pooled Postgres connection that got one")
        .tag("pool", poolName).register(registry);
    Pool pool = new Pool(inUse, acquire, ConcurrentHashMap.newKeySet(), forgetAfterNanos,
        new AtomicLong(System.nanoTime()));
    Gauge.builder(WAITING, pool, Pool::waiting).description("requests waiting for a pooled Postgres connection")
        .tag("pool", poolName).register(registry);
    return pool;
  }

  @Override
  public ClientMetrics<?, ?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
    return SQL.equals(type) ? failed : null;
  }

  /** A request for a connection: when it asked; waiting until it gets one, or taken as failed after a while. */
  private static final class Acquisition {
    final long submittedNanos = System.nanoTime();
  }

  /** A pool's acquisitions: waiting ones in {@code waiters}, then in use until ended. */
  private record Pool(AtomicInteger inUse, Timer acquire, Set<Acquisition> waiters, long forgetAfterNanos,
      AtomicLong prunedAtNanos) implements PoolMetrics<Acquisition> {
    @Override
    public Acquisition submitted() {
      Acquisition acquisition = new Acquisition();
      waiters.add(acquisition);
      long pruned = prunedAtNanos.get();
      if (acquisition.submittedNanos - pruned > PRUNE_EVERY_NANOS
          && prunedAtNanos.compareAndSet(pruned, acquisition.submittedNanos)) {
        prune(acquisition.submittedNanos);
      }
      return acquisition;
    }

    @Override
    public Acquisition begin(Acquisition acquisition) {
      waiters.remove(acquisition);
      inUse.incrementAndGet();
      acquire.record(System.nanoTime() - acquisition.submittedNanos, TimeUnit.NANOSECONDS);
      return acquisition;
    }

    @Override
    public void rejected(Acquisition acquisition) {
      waiters.remove(acquisition);
    }

    @Override
    public void end(Acquisition acquisition, boolean succeeded) {
      inUse.decrementAndGet();
    }

    int waiting() {
      prune(System.nanoTime());
      return waiters.size();
    }

    /** Forgets the acquisitions asked for too long ago: taken as failed, unreported. */
    private void prune(long nowNanos) {
      waiters.removeIf(acquisition -> nowNanos - acquisition.submittedNanos > forgetAfterNanos);
    }
  }

  /** Shared by every connection: counts statements answered with a failure; the SQL text is never looked at. */
  private record FailedStatements(Counter failed) implements ClientMetrics<Object, Object, Object, Object> {
    private static final Object STATEMENT = new Object();

    @Override
    public Object requestBegin(String uri, Object request) {
      return STATEMENT;
    }

    @Override
    public void requestReset(Object statement) {
      failed.increment();
    }
  }
}
