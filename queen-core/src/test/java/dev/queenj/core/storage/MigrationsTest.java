package dev.queenj.core.storage;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.log.LogPosition;
import dev.queenj.core.log.LogReader;
import dev.queenj.core.log.LogRecord;
import dev.queenj.core.queue.PartitionPlacement;
import dev.queenj.core.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  private static final String SCRIPTS_BEFORE_TOPIC_IDS = "V001__init.sql";
  private static final String SCRIPT_PARTITION_LOCALITY = "V009__partition_locality.sql";
  private static final String SCRIPT_LOG_POSITIONS = "V010__log_positions.sql";
  private static final String SCRIPT_KAFKA_RECORDS = "V003__kafka_records.sql";
  private static final Pattern SCRIPT_NAME = Pattern.compile("V(\\d+)__\\w+\\.sql");

  @Test
  void topicIdsAreFilledForQueuesThatExistedBeforeTheyWereIntroduced() {
    onScratchDatabase(database -> {
      // given a database migrated by a build that knew only the first script, holding two queues
      migrateAsAnEarlierBuild(database, List.of(SCRIPTS_BEFORE_TOPIC_IDS));
      await(database.pool().query("INSERT INTO queues (id, name, kafka_partitions) VALUES "
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
    });
  }

  @Test
  void partitionIdsOfEarlierVersionsMoveToTheirQueuesPrefixEverywhereTheyAreStored() {
    onScratchDatabase(database -> {
      // given a database migrated up to the script before partition locality, with a partition under its old id
      List<String> before = migrateAsABuildBefore(database, SCRIPT_PARTITION_LOCALITY);
      UUID queue = UUID.fromString("01a20a79-4147-7187-86bb-328f2b225424");
      UUID oldId = oldPartitionId(queue, "conversation-7");
      await(database.pool().query("INSERT INTO queues (id, name, kafka_partitions) VALUES ('" + queue + "', 'q', 1);"
          + "INSERT INTO partitions (id, queue_id, name, kafka_partition) VALUES ('" + oldId + "', '" + queue
          + "', 'conversation-7', 0);"
          + "INSERT INTO messages (queue_id, kafka_partition, log_offset, partition_id, id, transaction_id) VALUES ('"
          + queue + "', 0, 0, '" + oldId + "', gen_random_uuid(), 't1');"
          + "INSERT INTO partition_consumers (partition_id, consumer_group, queue_id) VALUES ('" + oldId + "', 'g', '"
          + queue + "');"
          + "INSERT INTO dead_letters (queue_id, partition_id, message_id, transaction_id, consumer_group, "
          + "message_created_at) VALUES ('" + queue + "', '" + oldId + "', gen_random_uuid(), 't1', 'g', now())")
          .execute());

      // when
      assertThat(await(Migrations.apply(database))).isEqualTo(Migrations.SCRIPTS.size() - before.size());

      // then every table names the partition by the id this version derives
      UUID expected = PartitionPlacement.partitionId(queue, "conversation-7");
      assertThat(expected).isNotEqualTo(oldId);
      String stored = await(database.pool().query("SELECT concat_ws(' ', (SELECT id FROM partitions), "
          + "(SELECT partition_id FROM messages), (SELECT partition_id FROM partition_consumers), "
          + "(SELECT partition_id FROM dead_letters))").execute()
          .map(rows -> rows.iterator().next().getString(0)));
      assertThat(stored).isEqualTo(String.join(" ", Collections.nCopies(4, expected.toString())));
    });
  }

  @Test
  void messagesStoredBeforeLogPositionsArePositionedInTheirLogsAndFetchedWithinByteBudgets() {
    onScratchDatabase(database -> {
      // given messages stored by a version without log positions: three in one log (the first one already deleted
      // by retention), one in another, values of 100, 50 and 10 bytes, the second with a key and headers
      List<String> before = migrateAsABuildBefore(database, SCRIPT_LOG_POSITIONS);
      UUID queue = UUID.fromString("01a20a79-4147-7187-86bb-328f2b225425");
      UUID partition = PartitionPlacement.partitionId(queue, "p");
      await(database.pool().query("INSERT INTO queues (id, name, kafka_partitions) VALUES ('" + queue + "', 'q', 2);"
          + "INSERT INTO log_heads (queue_id, kafka_partition, next_offset, log_start_offset) VALUES ('" + queue
          + "', 0, 4, 1), ('" + queue + "', 1, 1, 0);"
          + "INSERT INTO partitions (id, queue_id, name, kafka_partition) VALUES ('" + partition + "', '" + queue
          + "', 'p', 0);"
          + "INSERT INTO messages (queue_id, kafka_partition, log_offset, partition_id, id, transaction_id, payload,"
          + " record_key, record_headers) VALUES"
          + " ('" + queue + "', 0, 1, '" + partition + "', gen_random_uuid(), 't1', decode(repeat('00', 100), 'hex'),"
          + " NULL, NULL),"
          + " ('" + queue + "', 0, 2, '" + partition + "', gen_random_uuid(), 't2', decode(repeat('00', 50), 'hex'),"
          + " '\\x0102', '\\x030405'),"
          + " ('" + queue + "', 0, 3, '" + partition + "', gen_random_uuid(), 't3', decode(repeat('00', 10), 'hex'),"
          + " NULL, NULL),"
          + " ('" + queue + "', 1, 0, '" + partition + "', gen_random_uuid(), 't4', decode(repeat('00', 10), 'hex'),"
          + " NULL, NULL)").execute());

      // when
      assertThat(await(Migrations.apply(database))).isEqualTo(Migrations.SCRIPTS.size() - before.size());

      // then each message ends where its log's sizes so far add up to (size: value + key + headers + 16)
      String positions = await(database.pool().query("SELECT string_agg(kafka_partition || ':' || log_offset || '@'"
          + " || end_position, ' ' ORDER BY kafka_partition, log_offset) || ' heads ' || (SELECT string_agg("
          + "next_position::text, ' ' ORDER BY kafka_partition) FROM log_heads) FROM messages").execute()
          .map(rows -> rows.iterator().next().getString(0)));
      assertThat(positions).isEqualTo("0:1@116 0:2@187 0:3@213 1:0@26 heads 213 26");
      // and fetches bound them by those positions
      LogReader log = new LogReader(database, PayloadCipher.NONE);
      assertThat(await(log.read(List.of(new LogPosition("q", 0, 1, 187), new LogPosition("q", 0, 1, 186),
          new LogPosition("q", 0, 2, 97)))))
          .extracting(slice -> slice.records().stream().map(LogRecord::offset).toList())
          .containsExactly(List.of(1L, 2L), List.of(1L), List.of(2L, 3L));
    });
  }

  /** Partition ids as versions before V009 derived them: a name-based UUID of the queue id's bytes and the name. */
  private static UUID oldPartitionId(UUID queue, String name) {
    ByteBuffer seed = ByteBuffer.allocate(16 + name.length());
    seed.putLong(queue.getMostSignificantBits()).putLong(queue.getLeastSignificantBits())
        .put(name.getBytes(StandardCharsets.US_ASCII));
    return UUID.nameUUIDFromBytes(seed.array());
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

  @Test
  void theScriptsListedAreExactlyTheScriptsOnDiskInVersionOrder() throws IOException, URISyntaxException {
    Path directory = Path.of(Migrations.class.getResource("migration").toURI());
    List<String> onDisk;
    try (Stream<Path> files = Files.list(directory)) {
      onDisk = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".sql")).sorted()
          .toList();
    }
    assertThat(onDisk).as("every script on disk is named V<number>__<name>.sql")
        .allMatch(name -> SCRIPT_NAME.matcher(name).matches());
    assertThat(Migrations.SCRIPTS).as("Migrations.SCRIPTS lists the scripts on disk, each once")
        .containsExactlyInAnyOrderElementsOf(onDisk);
    List<Integer> versions = Migrations.SCRIPTS.stream().map(MigrationsTest::versionNumber).toList();
    assertThat(versions).as("versions of Migrations.SCRIPTS, in order and each number once")
        .isSortedAccordingTo(Integer::compare).doesNotHaveDuplicates();
  }

  @Test
  void everyAppliedScriptIsRecordedWithTheChecksumOfItsText() {
    onScratchDatabase(database -> {
      await(Migrations.apply(database));

      assertThat(storedChecksums(database)).isEqualTo(shippedChecksums(Migrations.SCRIPTS));
    });
  }

  @Test
  void aDatabaseOfABuildWithoutChecksumsGetsThemRecordedAndIsMigrated() {
    onScratchDatabase(database -> {
      // given a database migrated by a build that recorded versions only, and knew the scripts before V010
      List<String> before = migrateAsABuildBefore(database, SCRIPT_LOG_POSITIONS);

      // when
      assertThat(await(Migrations.apply(database))).isEqualTo(Migrations.SCRIPTS.size() - before.size());

      // then the scripts it applied carry their checksums as well as those applied now
      assertThat(storedChecksums(database)).isEqualTo(shippedChecksums(Migrations.SCRIPTS));
      assertThat(await(Migrations.apply(database))).as("a restart applies nothing").isZero();
    });
  }

  @Test
  void aScriptChangedAfterItWasAppliedStopsStartUpNamingItAndChangesNothing() {
    onScratchDatabase(database -> {
      // given a database that applied V003 as it was before a blank line was added to it, and an earlier build's
      // scripts without checksums, up to V009
      List<String> before = migrateAsABuildBefore(database, SCRIPT_LOG_POSITIONS);
      MigrationScript shipped = MigrationScript.shipped(SCRIPT_KAFKA_RECORDS);
      String applied = MigrationScript.checksum(shipped.sql().stripTrailing());
      await(database.pool().query("ALTER TABLE schema_migrations ADD COLUMN checksum text").execute());
      await(database.pool().preparedQuery("UPDATE schema_migrations SET checksum = $1 WHERE version = $2")
          .execute(Tuple.of(applied, SCRIPT_KAFKA_RECORDS)));

      // when / then
      assertThatThrownBy(() -> await(Migrations.apply(database)))
          .isInstanceOf(IncompatibleSchemaException.class)
          .hasMessageContainingAll("schema migration " + SCRIPT_KAFKA_RECORDS, "changed after it was applied",
              applied.substring(0, 12) + " stored", shipped.checksum().substring(0, 12) + " shipped",
              "restore the script")
          .message().doesNotContain("\n");
      Map<String, String> expected = new TreeMap<>();
      before.forEach(version -> expected.put(version, ""));
      expected.put(SCRIPT_KAFKA_RECORDS, applied);
      assertThat(storedChecksums(database)).as("nothing applied, no checksum recorded").isEqualTo(expected);
    });
  }

  @Test
  void aDatabaseMigratedByANewerBuildStopsStartUpNamingTheScriptsThisBuildDoesNotKnow() {
    onScratchDatabase(database -> {
      // given a database an earlier build migrated (no checksums), then a newer build with two more scripts
      migrateAsAnEarlierBuild(database, Migrations.SCRIPTS);
      await(database.pool().query("ALTER TABLE schema_migrations ADD COLUMN checksum text;"
          + "INSERT INTO schema_migrations (version, checksum) VALUES ('V901__from_the_future.sql', 'c1'), "
          + "('V900__from_the_future.sql', 'c0')").execute());

      // when / then
      assertThatThrownBy(() -> await(Migrations.apply(database)))
          .isInstanceOf(IncompatibleSchemaException.class)
          .hasMessageContainingAll("V900__from_the_future.sql, V901__from_the_future.sql",
              "newest this build knows is " + Migrations.SCRIPTS.get(Migrations.SCRIPTS.size() - 1),
              "run that version or a newer one")
          .message().doesNotContain("\n");
      assertThat(storedChecksums(database)).as("no checksum recorded").containsEntry(SCRIPT_KAFKA_RECORDS, "");
    });
  }

  private static int versionNumber(String script) {
    Matcher name = SCRIPT_NAME.matcher(script);
    assertThat(name.matches()).as(script + " is named V<number>__<name>.sql").isTrue();
    return Integer.parseInt(name.group(1));
  }

  /** Version to recorded checksum, "" where none is recorded. */
  private static Map<String, String> storedChecksums(Database database) {
    return await(database.pool().query("SELECT version, coalesce(checksum, '') FROM schema_migrations").execute()
        .map(rows -> {
          Map<String, String> checksums = new TreeMap<>();
          rows.forEach(row -> checksums.put(row.getString(0), row.getString(1)));
          return checksums;
        }));
  }

  private static Map<String, String> shippedChecksums(List<String> scripts) {
    Map<String, String> checksums = new TreeMap<>();
    scripts.forEach(script -> checksums.put(script, MigrationScript.shipped(script).checksum()));
    return checksums;
  }

  /** Applies the scripts before {@code script}, as a build that knew only those did; answers them. */
  private static List<String> migrateAsABuildBefore(Database database, String script) {
    List<String> before = Migrations.SCRIPTS.subList(0, Migrations.SCRIPTS.indexOf(script));
    migrateAsAnEarlierBuild(database, before);
    return before;
  }

  /** Applies {@code scripts} and records them, as a build that knew only those scripts did. */
  private static void migrateAsAnEarlierBuild(Database database, List<String> scripts) {
    await(database.pool().query("CREATE TABLE schema_migrations ("
        + "version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())").execute());
    for (String script : scripts) {
      await(database.pool().query(Sql.load(Migrations.class, "migration/" + script)).execute());
      await(database.pool().query("INSERT INTO schema_migrations (version) VALUES ('" + script + "')").execute());
    }
  }

  /** Runs {@code test} on a new, empty database of the test server, dropped afterwards. */
  private static void onScratchDatabase(Consumer<Database> test) {
    Vertx vertx = Vertx.vertx();
    try {
      Database admin = TestPostgres.database(vertx, 1);
      String name = createDatabase(admin);
      Database database = connect(vertx, name);
      try {
        test.accept(database);
      } finally {
        await(database.close());
        await(admin.pool().query("DROP DATABASE " + name).execute());
        await(admin.close());
      }
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
        .connectingTo(PostgresUrl.parse(TestPostgres.url()).setDatabase(database)).using(vertx).build());
  }
}
