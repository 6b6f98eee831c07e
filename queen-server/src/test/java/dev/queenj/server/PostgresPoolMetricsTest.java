package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.DatabaseTimeouts;
import dev.queenj.core.testing.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The pools' meters as the SQL client reports them through Vert.x's metrics SPI, on a real Postgres with a pool of one
 * connection held by a sleeping statement: requests waiting for it are counted until they get it, and, when they never
 * do (the SQL client does not report those failures), until they are taken as failed.
 */
class PostgresPoolMetricsTest {
  private static final int ACQUIRE_TIMEOUT_MS = 500;
  private static final int FORGET_AFTER_MS = 1_500;
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void waitingRequestsAreCountedUntilTheyGetAConnectionOrAreTakenAsFailed() {
    MeterRegistry registry = new SimpleMeterRegistry();
    Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MetricsOptions().setEnabled(true)
        .setFactory(options -> new PostgresPoolMetrics(registry, FORGET_AFTER_MS))));
    try {
      Database database = Database.connect(vertx, TestPostgres.url(), 1,
          new DatabaseTimeouts(DatabaseTimeouts.DEFAULT_CONNECT_MS, ACQUIRE_TIMEOUT_MS, FORGET_AFTER_MS));
      try {
        TestPostgres.await(database.pool().query("SELECT 1").execute()); // the pool's one connection is open

        // statements wait for the connection without a deadline of their own, and get it in turn
        Future<RowSet<Row>> firstHold = database.pool().query("SELECT pg_sleep(1.2)").execute();
        Api.eventually(WAIT, () -> inUse(registry) == 1);
        List<Future<RowSet<Row>>> served = IntStream.range(0, 2)
            .mapToObj(i -> database.pool().query("SELECT 1").execute()).toList();
        Api.eventually(WAIT, () -> waiting(registry) == 2);
        TestPostgres.await(Future.all(served));
        TestPostgres.await(firstHold);
        assertThat(waiting(registry)).isZero();
        Api.eventually(WAIT, () -> inUse(registry) == 0);

        // transactions give up after the acquire timeout, unreported: counted until taken as failed
        Future<RowSet<Row>> secondHold = database.pool().query("SELECT pg_sleep(1)").execute();
        Api.eventually(WAIT, () -> inUse(registry) == 1);
        List<Future<SqlConnection>> refused = IntStream.range(0, 3).mapToObj(i -> database.pool().getConnection())
            .toList();
        Api.eventually(WAIT, () -> waiting(registry) == 3);
        for (Future<SqlConnection> connection : refused) {
          assertThatThrownBy(() -> TestPostgres.await(connection)).hasMessageContaining("imeout");
        }
        assertThat(waiting(registry)).as("failed, but not reported").isEqualTo(3);
        Api.eventually(WAIT, () -> waiting(registry) == 0);
        TestPostgres.await(secondHold);
        Api.eventually(WAIT, () -> inUse(registry) == 0);
      } finally {
        TestPostgres.await(database.close());
      }
    } finally {
      TestPostgres.await(vertx.close());
    }
  }

  private static double waiting(MeterRegistry registry) {
    return registry.get(PostgresPoolMetrics.WAITING).tag("pool", Database.POOL_NAME).gauge().value();
  }

  private static double inUse(MeterRegistry registry) {
    return registry.get(PostgresPoolMetrics.IN_USE).tag("pool", Database.POOL_NAME).gauge().value();
  }
}
