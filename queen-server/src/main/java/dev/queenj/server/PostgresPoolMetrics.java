package dev.queenj.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Postgres pools as the SQL client tells Vert.x's metrics SPI about them (the pools expose no counts of their
 * own): per pool ({@code pool} tag: {@code queen}, {@code queen-generic-plan}) the connections in use, the pool's
 * size, and how long acquiring a connection waited; and the statements Postgres or the connection failed. Everything
 * else of the SPI stays off (null metrics), so HTTP and sockets pay nothing.
 *
 * <p>The SQL client 4.5 never tells the SPI about an acquisition that failed (timed out, Postgres unreachable), so a
 * count of waiting acquisitions would only grow after failures; the acquisition wait is a timer of the ones that
 * got a connection instead, and the failures show up as failed requests.
 */
final class PostgresPoolMetrics implements VertxMetrics {
  static final String IN_USE = "queen.db.pool.connections.in.use";
  static final String MAX = "queen.db.pool.connections.max";
  static final String ACQUIRE = "queen.db.pool.acquire";
  static final String FAILED = "queen.db.statements.failed";
  private static final String SQL = "sql";

  private final MeterRegistry registry;
  private final FailedStatements failed;

  PostgresPoolMetrics(MeterRegistry registry) {
    this.registry = registry;
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
    return new Pool(inUse, acquire);
  }

  @Override
  public ClientMetrics<?, ?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
    return SQL.equals(type) ? failed : null;
  }

  /** A pooled connection's lease: the nanos its request was submitted at, then in use until ended. */
  private record Pool(AtomicInteger inUse, Timer acquire) implements PoolMetrics<Long> {
    @Override
    public Long submitted() {
      return System.nanoTime();
    }

    @Override
    public Long begin(Long submittedNanos) {
      inUse.incrementAndGet();
      acquire.record(System.nanoTime() - submittedNanos, TimeUnit.NANOSECONDS);
      return submittedNanos;
    }

    @Override
    public void end(Long submittedNanos, boolean succeeded) {
      inUse.decrementAndGet();
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
