package dev.queenj.core.storage;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keeps docs/scale-out.md true as the code changes: every statement of the storage layer (the {@code .sql}
 * resources of every module, migrations aside) is planned by the real Postgres, and what its generic plan touches is
 * classified against the document's table placements (see {@link StatementRouting}). The result must equal the
 * checked-in docs/scale-out-statements.tsv, so a statement added or changed without a look at what it does to the
 * scale-out plan fails here; so does a table without a placement.
 *
 * <p>The plan is the generic one, parameters unbound: {@code EXPLAIN (GENERIC_PLAN)} needs Postgres 16 and Debian's
 * packaged server (the external CI run) is 15, so each statement is PREPAREd as written (parameter types inferred, as
 * the driver does) and {@code EXPLAIN EXECUTE}d with nulls under {@code plan_cache_mode = force_generic_plan}; a
 * generic plan never looks at the values.
 */
class ScaleOutPlanTest {
  @RegisterExtension static final TestDatabase db = new TestDatabase(1);

  private static final Path ROOT = repositoryRoot();
  private static final Path DOCUMENT = ROOT.resolve("docs/scale-out.md");
  private static final Path EXPECTED = ROOT.resolve("docs/scale-out-statements.tsv");
  private static final String HEADER = "statement\ttables\trouting\tverdict\trow_locks\tfunctions";

  /** Statements PREPARE cannot take, each with the reason it is left out of the plan. */
  private static final Map<String, String> EXCLUDED = Map.of(
      "queen-core/src/main/resources/dev/queenj/core/storage/schema_migrations_add_checksum.sql",
      "DDL run by migrations on the coordinator, which propagates it",
      "queen-core/src/main/resources/dev/queenj/core/storage/schema_migrations_create.sql",
      "DDL run by migrations on the coordinator, which propagates it",
      "queen-test/src/main/resources/dev/queenj/test/database_create.sql",
      "test harness DDL with the database names formatted in, not a statement of the broker",
      "queen-test/src/main/resources/dev/queenj/test/database_drop.sql",
      "test harness DDL with the database names formatted in, not a statement of the broker");

  @Test
  void everyTableOfTheSchemaHasAPlacementAndEveryPlacementATable() {
    TablePlacements placements = TablePlacements.read(DOCUMENT);

    assertThat(new TreeSet<>(placements.byTable().keySet())).as("tables placed in docs/scale-out.md")
        .isEqualTo(new TreeSet<>(columnsByTable().keySet()));
  }

  @Test
  void everyStatementRoutesAsTheCheckedInTableSays() throws IOException {
    TablePlacements placements = TablePlacements.read(DOCUMENT);
    Map<String, List<String>> columns = columnsByTable();
    Map<String, Set<String>> cascades = cascades();
    String schema = await(db.database().pool().query("SELECT current_schema()").execute()).iterator().next()
        .getString(0);

    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    for (Path file : statementFiles()) {
      String name = ROOT.relativize(file).toString();
      String reason = EXCLUDED.get(name);
      if (reason != null) {
        lines.add(String.join("\t", name, "-", "-", "excluded: " + reason, "-", "-"));
        continue;
      }
      JsonArray plan = genericPlan(Files.readString(file), name);
      lines.add(new StatementRouting(placements, columns, cascades, schema).classify(plan).line(name));
    }
    String actual = String.join("\n", lines) + "\n";

    Path written = Path.of("target", "scale-out-statements.tsv");
    Files.createDirectories(written.getParent());
    Files.writeString(written, actual);
    List<String> expected = Files.exists(EXPECTED) ? Files.readAllLines(EXPECTED) : List.of();
    // a failure names only the lines that changed ("+" computed now, "-" checked in), not both whole tables
    List<String> changed = new ArrayList<>();
    lines.stream().filter(line -> !expected.contains(line)).forEach(line -> changed.add("+ " + line));
    expected.stream().filter(line -> !lines.contains(line)).forEach(line -> changed.add("- " + line));
    assertThat(changed).as("statement routing changed: review it against docs/scale-out.md, then copy "
        + written.toAbsolutePath() + " to docs/scale-out-statements.tsv").isEmpty();
    assertThat(lines).as("the order of docs/scale-out-statements.tsv").isEqualTo(expected);
  }

  @Test
  void everyExclusionIsAStatementThatExists() {
    Set<String> names = new TreeSet<>();
    for (Path file : statementFiles()) {
      names.add(ROOT.relativize(file).toString());
    }

    assertThat(names).containsAll(EXCLUDED.keySet());
  }

  @Test
  void aJoinOnTheDistributionColumnPinsBothSidesAndAJoinOnAPartitionIdDoesNot() {
    // the planner's equivalence classes, which the classification relies on, checked on the real planner
    String pinned = "SELECT m.log_offset FROM messages m JOIN log_heads h ON h.queue_id = m.queue_id"
        + " AND h.kafka_partition = m.kafka_partition WHERE h.queue_id = $1";
    String oneQueueUnrouted = "SELECT m.log_offset FROM messages m JOIN partitions p ON p.id = m.partition_id"
        + " WHERE p.queue_id = $1";
    String byQueueName = "SELECT h.next_offset FROM log_heads h JOIN queues q ON q.id = h.queue_id WHERE q.name = $1";
    String twoQueues = "SELECT m.log_offset FROM messages m, log_heads h WHERE m.queue_id = $1 AND h.queue_id = $2";
    String everyQueue = "SELECT m.log_offset FROM messages m WHERE m.created_at < $1";
    String bySubquery = "SELECT h.next_offset FROM log_heads h WHERE h.queue_id = (SELECT id FROM queues WHERE name = $1)";

    assertThat(List.of(pinned, oneQueueUnrouted, byQueueName, twoQueues, everyQueue, bySubquery))
        .extracting(ScaleOutPlanTest::verdict)
        .containsExactly("single-shard", "needs-queue_id", "needs-queue_id", "multi-shard", "multi-shard",
            "multi-shard");
  }

  @Test
  void anInsertRoutesByTheValueItGivesTheDistributionColumn() {
    String oneRow = "INSERT INTO group_log_scans (queue_id, consumer_group, kafka_partition, scan_offset)"
        + " VALUES ($1, $2, $3, 0)";
    String fromArrays = "INSERT INTO group_log_scans (queue_id, consumer_group, kafka_partition, scan_offset)"
        + " SELECT q, $2, 0, 0 FROM unnest($1::uuid[]) AS q";
    String deletingAQueue = "DELETE FROM queues WHERE id = $1";

    // deleting a queue: the cascade reaches every shard, and the queues reference table is written on every worker
    assertThat(List.of(oneRow, fromArrays, deletingAQueue)).extracting(ScaleOutPlanTest::verdict)
        .containsExactly("single-shard", "multi-shard", "multi-shard+reference-write");
  }

  private static String verdict(String sql) {
    String schema = await(db.database().pool().query("SELECT current_schema()").execute()).iterator().next()
        .getString(0);
    return new StatementRouting(TablePlacements.read(DOCUMENT), columnsByTable(), cascades(), schema)
        .classify(genericPlan(sql, sql)).verdict();
  }

  /** The generic plan of {@code sql} as written, its parameters' types inferred as the driver leaves them. */
  private static JsonArray genericPlan(String sql, String name) {
    return await(db.database().pool().withConnection(connection -> connection
        .query("SET plan_cache_mode = force_generic_plan").execute()
        .compose(set -> connection.query("PREPARE scale_out_plan AS " + sql).execute())
        .compose(prepared -> parameterCount(connection))
        .compose(parameters -> connection.query("EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE scale_out_plan"
            + (parameters == 0 ? "" : "(" + String.join(", ", Collections.nCopies(parameters, "NULL")) + ")"))
            .execute())
        .map(rows -> new JsonArray(rows.iterator().next().getValue(0).toString()))
        .eventually(() -> connection.query("DEALLOCATE ALL").execute()
            .compose(done -> connection.query("RESET plan_cache_mode").execute()))
        .recover(failure -> Future.failedFuture(new IllegalStateException(name + ": " + failure.getMessage(),
            failure)))));
  }

  private static Future<Integer> parameterCount(SqlConnection connection) {
    return connection.query("SELECT coalesce(cardinality(parameter_types), 0) FROM pg_prepared_statements"
        + " WHERE name = 'scale_out_plan'").execute().map(rows -> rows.iterator().next().getInteger(0));
  }

  /** Each table of the broker's schemas, with its columns in attribute order (a dropped one as null). */
  private static Map<String, List<String>> columnsByTable() {
    Map<String, List<String>> columns = new TreeMap<>();
    for (Row row : await(db.database().pool().query("""
        SELECT CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || '.' || c.relname END,
               CASE WHEN a.attisdropped THEN NULL ELSE a.attname::text END
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
        WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
          AND (n.nspname = current_schema() OR n.nspname = 'queen_streams')
        ORDER BY 1, a.attnum""").execute())) {
      columns.computeIfAbsent(row.getString(0), t -> new ArrayList<>()).add(row.getString(1));
    }
    return columns;
  }

  /** Per table, the tables whose rows an ON DELETE CASCADE foreign key deletes with its rows. */
  private static Map<String, Set<String>> cascades() {
    Map<String, Set<String>> cascades = new HashMap<>();
    for (Row row : await(db.database().pool().query("""
        SELECT trim(both '"' from confrelid::regclass::text), trim(both '"' from conrelid::regclass::text)
        FROM pg_constraint WHERE contype = 'f' AND confdeltype = 'c'""").execute())) {
      cascades.computeIfAbsent(row.getString(0), t -> new TreeSet<>()).add(row.getString(1));
    }
    return cascades;
  }

  /** Every module's statement resources ({@code <module>/src/main/resources/**.sql}), migrations aside. */
  private static List<Path> statementFiles() {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path resources : modules.map(m -> m.resolve("src/main/resources")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> found = Files.walk(resources)) {
          found.filter(f -> f.toString().endsWith(".sql")).filter(f -> !f.toString().contains("/migration/"))
              .forEach(files::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Collections.sort(files);
    assertThat(files).as("statement resources under " + ROOT).hasSizeGreaterThan(50);
    return files;
  }

  /** The reactor's root: the module runs its tests in its own directory, one below. */
  private static Path repositoryRoot() {
    Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    Path root = module.getParent();
    if (!Files.exists(root.resolve("queen-core")) || !Files.exists(root.resolve("pom.xml"))) {
      throw new IllegalStateException("not run from a module of the Queen-J reactor: " + module);
    }
    return root;
  }
}
