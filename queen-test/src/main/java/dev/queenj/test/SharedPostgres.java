package dev.queenj.test;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Migrations;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded Postgres per JVM, started on first use and stopped when the JVM exits. Queen-J's schema is migrated
 * once into a template database; every {@link #freshDatabase()} is a copy of it, so a test class gets an empty,
 * migrated database in a fraction of a second instead of running the migrations again.
 */
final class SharedPostgres {
  private static final Logger LOG = LoggerFactory.getLogger(SharedPostgres.class);
  private static final String TEMPLATE = "queenj_template";
  private static final String CREATE = Sql.load(SharedPostgres.class, "database_create.sql");
  private static final String DROP = Sql.load(SharedPostgres.class, "database_drop.sql");
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  private static final long MIGRATION_TIMEOUT_SECONDS = 60;
  private static SharedPostgres instance;

  private final EmbeddedPostgres postgres;
  private final AtomicInteger databases = new AtomicInteger();

  private SharedPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** The JVM's Postgres, started (and its template migrated) by the first caller. */
  static synchronized SharedPostgres get() {
    if (instance == null) {
      long started = System.nanoTime();
      EmbeddedPostgres postgres = start();
      SharedPostgres shared = new SharedPostgres(postgres);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "queenj-test-postgres-stop"));
      shared.execute(String.format(CREATE, TEMPLATE, "template0"));
      migrate(shared.url(TEMPLATE));
      LOG.info("embedded Postgres for Queen-J tests ready on port {} in {} ms", postgres.getPort(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      instance = shared;
    }
    return instance;
  }

  /** A new database holding Queen-J's empty schema; its {@code postgresql://} URL. */
  String freshDatabase() {
    String name = "queenj_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
    execute(String.format(CREATE, name, TEMPLATE));
    return url(name);
  }

  /** Drops a database made by {@link #freshDatabase()}, closing what is still connected to it. */
  void drop(String url) {
    execute(String.format(DROP, url.substring(url.lastIndexOf('/') + 1)));
  }

  private String url(String database) {
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/" + database;
  }

  private static EmbeddedPostgres start() {
    try {
      return EmbeddedPostgres.builder().setPGStartupWait(STARTUP_WAIT).setServerConfig("max_connections", "300")
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded Postgres for Queen-J: " + e.getMessage(), e);
    }
  }

  private static void migrate(String url) {
    Vertx vertx = Vertx.vertx();
    try {
      Database database = Database.connect(vertx, url, 1);
      try {
        await(Migrations.apply(database), "migrate the template database");
      } finally {
        await(database.close(), "close the migration's connection");
      }
    } finally {
      await(vertx.close(), "close the migration's Vert.x");
    }
  }

  private static void await(Future<?> future, String step) {
    try {
      future.toCompletionStage().toCompletableFuture().get(MIGRATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + step, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot " + step + ": " + e.getMessage(), e);
    }
  }

  /** Database-level statements, which Postgres runs outside any transaction: plain JDBC, autocommit. */
  private void execute(String statement) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement sql = connection.createStatement()) {
      sql.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(statement + " failed: " + e.getMessage(), e);
    }
  }

  private void stop() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded Postgres did not stop cleanly: {}", e.getMessage());
    }
  }
}
