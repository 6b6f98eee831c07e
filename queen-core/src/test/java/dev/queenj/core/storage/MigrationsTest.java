package dev.queenj.core.storage;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void severalInstancesMigratingAFreshDatabaseAtOnceApplyEachScriptOnce() {
    Vertx vertx = Vertx.vertx();
    try {
      String database = "migrate_" + System.nanoTime();
      Database admin = TestPostgres.database(vertx, 1);
      await(admin.pool().query("CREATE DATABASE " + database).execute());
      PgConnectOptions fresh = PgConnectOptions.fromUri(TestPostgres.url()).setDatabase(database);
      List<Database> instances = new ArrayList<>();
      List<Future<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Database instance = new Database(PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
            .connectingTo(fresh).using(vertx).build());
        instances.add(instance);
        runs.add(Migrations.apply(instance));
      }
      int applied = 0;
      for (Future<Integer> run : runs) {
        applied += await(run);
      }
      assertThat(applied).as("each script applied by exactly one instance").isEqualTo(1);
      assertThat(await(Migrations.apply(instances.get(0)))).as("a restart applies nothing").isZero();
      long versions = await(instances.get(0).pool().query("SELECT count(*) FROM schema_migrations").execute()
          .map(rows -> rows.iterator().next().getLong(0)));
      assertThat(versions).isEqualTo(1);
      for (Database instance : instances) {
        await(instance.close());
      }
      await(admin.pool().query("DROP DATABASE " + database).execute());
      await(admin.close());
    } finally {
      await(vertx.close());
    }
  }
}
