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
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  private static final String SCRIPTS_BEFORE_TOPIC_IDS = "V001__init.sql";

  @Test
  void topicIdsAreFilledForQueuesThatExistedBeforeTheyWereIntroduced() {
    Vertx vertx = Vertx.vertx();
    try {
      Database admin = TestPostgres.database(vertx, 1);
      String name = createDatabase(admin);
      Database database = connect(vertx, name);
      // given a database migrated by a build that knew only the first script, holding two queues
      await(database.pool().query("CREATE TABLE schema_migrations ("
          + "version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())").execute());
      await(database.pool().query(Sql.load(Migrations.class, "migration/" + SCRIPTS_BEFORE_TOPIC_IDS)).execute());
      await(database.pool().query("INSERT INTO schema_migrations (version) VALUES ('" + SCRIPTS_BEFORE_TOPIC_IDS
          + "'); INSERT INTO queues (id, name, kafka_partitions) VALUES "
          + "(gen_random_uuid(), 'a', 8), (gen_random_uuid(), 'b', 8)").execute());

      // when
      assertThat(await(Migrations.apply(database))).isEqualTo(Migrations.SCRIPTS.size() - 1);

      // then
      List<UUID> topicIds = await(database.pool().query("SELECT topic_id FROM queues").execute().map(rows -> {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getUUID(0)));
        return ids;
      }));
      assertThat(topicIds).hasSize(2).doesNotContainNull().doesNotHaveDuplicates();
      await(database.close());
      await(admin.pool().query("DROP DATABASE " + name).execute());
      await(admin.close());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void severalInstancesMigratingAFreshDatabaseAtOnceApplyEachScriptOnce() {
    Vertx vertx = Vertx.vertx();
    try {
      Database admin = TestPostgres.database(vertx, 1);
      String database = createDatabase(admin);
      List<Database> instances = new ArrayList<>();
      List<Future<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Database instance = connect(vertx, database);
        instances.add(instance);
        runs.add(Migrations.apply(instance));
      }
      int applied = 0;
      for (Future<Integer> run : runs) {
        applied += await(run);
      }
      assertThat(applied).as("each script applied by exactly one instance").isEqualTo(Migrations.SCRIPTS.size());
      assertThat(await(Migrations.apply(instances.get(0)))).as("a restart applies nothing").isZero();
      long versions = await(instances.get(0).pool().query("SELECT count(*) FROM schema_migrations").execute()
          .map(rows -> rows.iterator().next().getLong(0)));
      assertThat(versions).isEqualTo(Migrations.SCRIPTS.size());
      for (Database instance : instances) {
        await(instance.close());
      }
      await(admin.pool().query("DROP DATABASE " + database).execute());
      await(admin.close());
    } finally {
      await(vertx.close());
    }
  }

  /** A new, empty database on the test server; answers its name. */
  private static String createDatabase(Database admin) {
    String name = "migrate_" + System.nanoTime();
    await(admin.pool().query("CREATE DATABASE " + name).execute());
    return name;
  }

  private static Database connect(Vertx vertx, String database) {
    return new Database(PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(TestPostgres.url()).setDatabase(database)).using(vertx).build());
  }
}
