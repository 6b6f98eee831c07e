package dev.queenj.core.storage;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DatabaseTest {
  static Vertx vertx;
  static Database database;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    database = TestPostgres.database(vertx, 1);
  }

  @AfterAll
  static void stop() {
    await(database.close());
    await(vertx.close());
  }

  @Test
  void aLongStatementIsPreparedOnceAndKeptOnItsConnection() {
    // longer than the driver's default limit for cached statements (2048 characters)
    String statement = "-- " + "x".repeat(4096) + "\nSELECT $1::int + 1";

    for (int i = 0; i < 3; i++) {
      assertThat(await(database.pool().preparedQuery(statement).execute(Tuple.of(i))).iterator().next()
          .getInteger(0)).isEqualTo(i + 1);
    }

    // an uncached statement would be the unnamed one, which pg_prepared_statements does not list
    long kept = await(database.pool().preparedQuery(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement = $1").execute(Tuple.of(statement)))
        .iterator().next().getLong(0);
    assertThat(kept).isEqualTo(1);
  }
}
