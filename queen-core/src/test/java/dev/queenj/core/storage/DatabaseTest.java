package dev.queenj.core.storage;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.testing.StatementResources;
import dev.queenj.core.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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
  void theGenericPlanPoolPlansAStatementOnceWhereThePoolLeavesItToPostgres() {
    String statement = "SELECT count(*) FROM unnest($1::int[]) AS t(v) WHERE v > $2";

    assertThat(plansAfterThreeRuns(db.database().genericPlanPool(), statement)).isEqualTo("generic 3, custom 0");
    // Postgres makes custom plans for a statement's first five executions before it considers the generic one
    assertThat(plansAfterThreeRuns(db.database().pool(), statement)).isEqualTo("generic 0, custom 3");
  }

  private static String plansAfterThreeRuns(Pool pool, String statement) {
    return await(pool.withConnection(connection -> {
      Future<RowSet<Row>> runs = Future.succeededFuture();
      for (int i = 0; i < 3; i++) {
        runs = runs.compose(done -> connection.preparedQuery(statement).execute(Tuple.of(new Integer[] {1, 2, 3}, 1)));
      }
      return runs.compose(done -> connection.preparedQuery(
              "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1")
          .execute(Tuple.of(statement)))
          .map(rows -> {
            Row row = rows.iterator().next();
            return "generic " + row.getLong(0) + ", custom " + row.getLong(1);
          });
    }));
  }

  @Test
  void everyStatementOfTheCoreIsPreparedWithoutParameterTypes() {
    assertThat(StatementResources.sqlFiles("dev/queenj/core")).hasSizeGreaterThan(10);

    assertThat(StatementResources.notPreparableAsWritten(db.database(), "dev/queenj/core")).isEmpty();
  }
}
