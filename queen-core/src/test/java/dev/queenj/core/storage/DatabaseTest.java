package dev.queenj.core.storage;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.testing.StatementResources;
import dev.queenj.core.testing.TestDatabase;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DatabaseTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(1);

  @Test
  void aLongStatementIsPreparedOnceAndKeptOnItsConnection() {
    // longer than the driver's default limit for cached statements (2048 characters)
    String statement = "-- " + "x".repeat(4096) + "\nSELECT $1::int + 1";

    for (int i = 0; i < 3; i++) {
      assertThat(await(db.database().pool().preparedQuery(statement).execute(Tuple.of(i))).iterator().next()
          .getInteger(0)).isEqualTo(i + 1);
    }

    // an uncached statement would be the unnamed one, which pg_prepared_statements does not list
    long kept = await(db.database().pool().preparedQuery(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement = $1").execute(Tuple.of(statement)))
        .iterator().next().getLong(0);
    assertThat(kept).isEqualTo(1);
  }

  @Test
  void everyStatementOfTheCoreIsPreparedWithoutParameterTypes() {
    assertThat(StatementResources.sqlFiles("dev/queenj/core")).hasSizeGreaterThan(10);

    assertThat(StatementResources.notPreparableAsWritten(db.database(), "dev/queenj/core")).isEmpty();
  }
}
