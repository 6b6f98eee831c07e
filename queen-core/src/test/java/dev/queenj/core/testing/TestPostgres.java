package dev.queenj.core.testing;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One real Postgres per test JVM: the embedded one, or the server named by {@code QUEEN_TEST_PG_URL}. Migrated once;
 * {@link #reset()} empties every table between tests. Never a mocked database.
 */
public final class TestPostgres {
  private static final String TABLES =
      "kafka_transactions, dead_letters, group_subscriptions, group_log_scans, partition_consumers, messages, "
          + "partitions, log_heads, "
          + "maintenance_modes, kafka_scram_credentials, kafka_acls, queen_streams.state, queen_streams.queries, "
          + "queues, queen_instances, queen_group_leases";
  private static String url;

  private TestPostgres() {}

  /** {@code postgresql://...} of the shared, migrated test database. */
  public static synchronized String url() {
    if (url == null) {
      String external = System.getenv("QUEEN_TEST_PG_URL");
      if (external != null && !external.isBlank()) {
        url = external;
      } else {
        try {
          EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "300").start();
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
              postgres.close();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }));
          url = "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres";
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      Vertx vertx = Vertx.vertx();
      Database database = database(vertx, 2);
      await(Migrations.apply(database));
      await(database.close());
      await(vertx.close());
    }
    return url;
  }

  public static Database database(Vertx vertx, int poolSize) {
    return Database.connect(vertx, url(), poolSize);
  }

  /** Empties every table; call before each test. */
  public static void reset(Database database) {
    await(database.pool().query("TRUNCATE " + TABLES + " CASCADE").execute());
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
