package dev.queenj.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import dev.queenj.core.QueenCore;
import dev.queenj.core.storage.Database;
import dev.queenj.http.HttpApi;
import dev.queenj.kafka.KafkaListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which module may use what, held by the build rather than by review. queen-core owns storage (every statement, the
 * SQL client, the pool) and knows no protocol; http-api and kafka-wire are two front doors onto it that know nothing
 * of each other; queen-server wires them. Run here because queen-server's test classpath holds every production
 * module but bench, queen-test and queen-client (see {@link #NOT_ON_THIS_CLASSPATH}). Main classes only: tests may
 * query Postgres directly to check what was stored.
 */
class ModuleBoundariesTest {
  /** The production classes of every module on this classpath, read from where each module's classes are. */
  private static final JavaClasses MAIN = new ClassFileImporter().importLocations(Stream.of(QueenCore.class,
      HttpApi.class, KafkaListener.class, QueenServer.class).map(ModuleBoundariesTest::locationOf).toList());

  private static final String CORE = "dev.queenj.core..";
  private static final String[] SQL_CLIENT = {"io.vertx.sqlclient..", "io.vertx.pgclient.."};

  /**
   * Modules outside the rules on classes, each with the reason. Their {@code .sql} resources are exempt for the same
   * reasons; any other module holding one fails {@link #sqlResourcesLiveOnlyInQueenCore()}.
   */
  private static final Map<String, String> NOT_ON_THIS_CLASSPATH = Map.of(
      "bench", "measures Postgres itself (the floor: what the hardware does with the append and pop statements "
          + "run directly), so it talks to Postgres without the broker in between",
      "queen-test", "administers a test Postgres for users' suites (CREATE and DROP DATABASE over JDBC), not "
          + "Queen's schema",
      "queen-client", "the Java client speaks HTTP to a server; the class rules do not reach it, the resource rule "
          + "does");

  @Test
  void theImportSeesEveryModuleOnTheClasspath() {
    // a rule over an empty or partial import passes whatever the code does
    for (String name : List.of("dev.queenj.core.QueenCore", "dev.queenj.http.HttpApi", "dev.queenj.kafka.KafkaListener",
        "dev.queenj.server.QueenServer")) {
      assertThat(MAIN.contain(name)).as(name).isTrue();
    }
  }

  @Test
  void queenCoreUsesNoNettyAndNoKafkaTypes() {
    check(noClasses().that().resideInAPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.apache.kafka..")
        .because("queen-core is storage and broker semantics; the wire protocols (Netty's codecs, Kafka's messages "
            + "and records) are the front doors' (kafka-wire, http-api), and the core stays usable by any of them"));
  }

  @Test
  void queenCoreKnowsNoFrontDoorAndNoServer() {
    check(noClasses().that().resideInAPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage("dev.queenj.http..", "dev.queenj.kafka..",
            "dev.queenj.server..")
        .because("protocol modules depend on the core, never the reverse"));
  }

  @Test
  void onlyQueenCoreUsesTheSqlClient() {
    check(noClasses().that().resideOutsideOfPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(SQL_CLIENT)
        .because("storage belongs to queen-core: front doors call its typed methods and read Postgres' errors "
            + "through dev.queenj.core.storage.PostgresError (bench and queen-test are not on this classpath: "
            + NOT_ON_THIS_CLASSPATH.get("bench") + ")"));
  }

  @Test
  void onlyQueenCoreReachesTheDatabasesConnections() {
    check(noClasses().that().resideOutsideOfPackage(CORE)
        .should().callMethod(Database.class, "pool")
        .orShould().callMethod(Database.class, "genericPlanPool")
        .orShould().callMethod(Database.class, "inTransaction", Function.class)
        .because("a statement run from outside queen-core is SQL outside queen-core; the rest of Database "
            + "(connect, ping, timeouts, close) is for whoever wires and watches the server"));
  }

  @Test
  void theTwoFrontDoorsKnowNothingOfEachOther() {
    check(noClasses().that().resideInAPackage("dev.queenj.http..")
        .should().dependOnClassesThat().resideInAPackage("dev.queenj.kafka..")
        .because("http-api and kafka-wire serve the same data through the core; what they share belongs there"));
    check(noClasses().that().resideInAPackage("dev.queenj.kafka..")
        .should().dependOnClassesThat().resideInAPackage("dev.queenj.http..")
        .because("http-api and kafka-wire serve the same data through the core; what they share belongs there"));
  }

  @Test
  void sqlResourcesLiveOnlyInQueenCore() throws IOException {
    Path root = repositoryRoot();
    List<Path> outside;
    long inCore;
    try (Stream<Path> modules = Files.list(root)) {
      List<Path> resourceDirs = modules.map(module -> module.resolve("src/main/resources"))
          .filter(Files::isDirectory).toList();
      outside = resourceDirs.stream()
          .filter(dir -> !moduleOf(root, dir).equals("queen-core"))
          .filter(dir -> !NOT_ON_THIS_CLASSPATH.containsKey(moduleOf(root, dir))
              || moduleOf(root, dir).equals("queen-client"))
          .flatMap(ModuleBoundariesTest::sqlFiles).map(root::relativize).toList();
      inCore = sqlFiles(root.resolve("queen-core/src/main/resources")).count();
    }
    assertThat(inCore).as("queen-core's statements found (else this looked in the wrong place)").isGreaterThan(50);
    assertThat(outside).as("SQL resources outside queen-core: move the statement behind a typed method of the "
        + "core; only bench and queen-test are exempt, " + NOT_ON_THIS_CLASSPATH).isEmpty();
  }

  /** The classes directory or jar {@code type} was loaded from (one module's main classes, never its tests). */
  private static Location locationOf(Class<?> type) {
    try {
      Path path = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      // a module resolved from a repository rather than the reactor comes as a jar, which is read as an archive
      return path.toString().endsWith(".jar") ? Location.of(new JarFile(path.toFile())) : Location.of(path);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(ArchRule rule) {
    rule.check(MAIN);
  }

  /** The reactor's root: surefire runs a module's tests in the module's directory. */
  private static Path repositoryRoot() {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertThat(root.resolve("queen-core/pom.xml")).as("the reactor root above " + Path.of("").toAbsolutePath())
        .exists();
    return root;
  }

  private static String moduleOf(Path root, Path resources) {
    return root.relativize(resources).getName(0).toString();
  }

  private static Stream<Path> sqlFiles(Path dir) {
    try {
      return Files.walk(dir).filter(file -> file.toString().endsWith(".sql")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
