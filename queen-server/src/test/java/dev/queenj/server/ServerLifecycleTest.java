package dev.queenj.server;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Migrations;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.http.HttpConfig;
import dev.queenj.server.TestServer.Reply;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting, configuring and stopping the server: failures are one clear line, flags and environment variables are
 * read as documented, a stop answers parked long-polls, and the embedded Postgres keeps its data across restarts.
 */
class ServerLifecycleTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  // ---- start-up failures

  @Test
  void aPortInUseFailsWithOneLineNamingThePort() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("0.0.0.0", 0));
      int port = taken.getLocalPort();
      QueenServer server = new QueenServer(config(TestPostgres.url(), TestServer.freshDataDir(), port));

      // failing is prompt: the clean-up after a failed start must not block the event loop it runs on
      assertThatThrownBy(() -> server.start().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(StartupException.class)
          .hasMessageContaining(String.valueOf(port))
          .hasMessageContaining("already in use")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      assertClosesPromptly(server);
    }
  }

  @Test
  void anUnreachableDatabaseFailsWithOneLine() {
    QueenServer server = new QueenServer(config("postgresql://postgres@127.0.0.1:1/postgres", TestServer.freshDataDir(), 0));

    assertThatThrownBy(() -> server.start().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(StartupException.class)
        .hasMessageContaining("127.0.0.1:1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("null"));
    assertClosesPromptly(server);
  }

  @Test
  void aDatabaseUpgradedByANewerVersionFailsWithOneLineSayingWhatToRun() throws Exception {
    Vertx vertx = Vertx.vertx();
    Database admin = TestPostgres.database(vertx, 1);
    String name = "newer_" + System.nanoTime();
    await(admin.pool().query("CREATE DATABASE " + name).execute());
    String url = TestPostgres.url().replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    try {
      // given a database migrated by this version, then by a newer one with one more script
      Database database = Database.connect(vertx, url, 1);
      await(Migrations.apply(database));
      await(database.pool().query("INSERT INTO schema_migrations (version, checksum) "
          + "VALUES ('V900__from_a_newer_version.sql', 'c0')").execute());
      await(database.close());
      QueenServer server = new QueenServer(config(url, TestServer.freshDataDir(), 0));

      assertThatThrownBy(() -> server.start().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(StartupException.class)
          .hasMessageContainingAll("V900__from_a_newer_version.sql", "run that version or a newer one")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      assertClosesPromptly(server);
    } finally {
      await(admin.pool().query("DROP DATABASE " + name).execute());
      await(admin.close());
      await(vertx.close());
    }
  }

  /** After a failed start nothing is left running that close() could wait on. */
  private static void assertClosesPromptly(QueenServer server) {
    long started = System.nanoTime();
    server.close();
    assertThat((System.nanoTime() - started) / 1_000_000).as("close() after a failed start, ms").isLessThan(2_000);
  }

  // ---- configuration

  @Test
  void helpListsEverySetting() {
    String help = ConfigLoader.help();
    for (Setting setting : Setting.values()) {
      assertThat(help).contains(setting.env).contains(setting.flag());
    }
    assertThat(help).contains("--http-port").contains("QUEEN_PG_URL").contains("PORT");
    assertThat(ConfigLoader.wantsHelp(new String[] {"--http-port", "1", "--help"})).isTrue();
    assertThat(ConfigLoader.wantsHelp(new String[] {"-h"})).isTrue();
    assertThat(ConfigLoader.wantsHelp(new String[] {})).isFalse();
  }

  @Test
  void flagsTakeTheirValueAfterASpaceOrAnEqualsSign() {
    assertThat(ConfigLoader.load(new String[] {"--http-port", "7000"}, Map.of()).http().port()).isEqualTo(7000);
    assertThat(ConfigLoader.load(new String[] {"--http-port=7000"}, Map.of()).http().port()).isEqualTo(7000);
    QueenConfig several = ConfigLoader.load(new String[] {"--data-dir=/tmp/q", "--default-timeout", "500",
        "--pg-url", "postgresql://u:p@db:5432/queen"}, Map.of());
    assertThat(several.database().dataDir()).isEqualTo(Path.of("/tmp/q"));
    assertThat(several.http().defaultTimeoutMs()).isEqualTo(500);
    assertThat(several.database().pgUrl()).isEqualTo("postgresql://u:p@db:5432/queen");
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    QueenConfig config = ConfigLoader.load(new String[0], Map.of());
    assertThat(config.http().port()).isEqualTo(6632);
    assertThat(config.kafka().port()).isEqualTo(9092);
    assertThat(config.database().embedded()).isTrue();
    assertThat(config.database().dataDir()).isEqualTo(Path.of("queen-data").toAbsolutePath());
  }

  @Test
  void environmentVariablesAndQueensPortAliasAreRead() {
    assertThat(ConfigLoader.load(new String[0], Map.of("QUEEN_HTTP_PORT", "7001")).http().port()).isEqualTo(7001);
    assertThat(ConfigLoader.load(new String[0], Map.of("PORT", "7002")).http().port()).isEqualTo(7002);
    // our own name wins over Queen's alias, and a flag wins over both
    assertThat(ConfigLoader.load(new String[0], Map.of("PORT", "7002", "QUEEN_HTTP_PORT", "7001")).http().port())
        .isEqualTo(7001);
    assertThat(ConfigLoader.load(new String[] {"--http-port", "7003"}, Map.of("PORT", "7002")).http().port())
        .isEqualTo(7003);
    assertThat(ConfigLoader.load(new String[0], Map.of("QUEEN_PG_URL", "")).database().embedded()).isTrue();
  }

  @Test
  void queensPostgresVariablesNameAnExistingServerWithQueensDefaults() {
    assertThat(ConfigLoader.load(new String[0], Map.of("PG_HOST", "db.internal", "PG_PASSWORD", "p@ss word"))
        .database().pgUrl())
        .isEqualTo("postgresql://postgres:p%40ss%20word@db.internal:5432/postgres?sslmode=disable");
    assertThat(ConfigLoader.load(new String[0], Map.of("PG_USER", "queen", "PG_DB", "queen", "PG_PORT", "6543",
        "PG_USE_SSL", "true")).database().pgUrl())
        .isEqualTo("postgresql://queen:postgres@localhost:6543/queen?sslmode=verify-full");
    assertThat(ConfigLoader.load(new String[0], Map.of("PG_HOST", "db", "PG_USE_SSL", "true",
        "PG_SSL_REJECT_UNAUTHORIZED", "false")).database().pgUrl()).endsWith("?sslmode=require");
    // our own URL wins over Queen's variables
    assertThat(ConfigLoader.load(new String[0], Map.of("QUEEN_PG_URL", "postgresql://u:p@mine/db", "PG_HOST", "db"))
        .database().pgUrl()).isEqualTo("postgresql://u:p@mine/db");
    assertThat(ConfigLoader.load(new String[0], Map.of("DB_POOL_SIZE", "40", "DB_STATEMENT_TIMEOUT", "2500"))
        .database()).satisfies(db -> {
          assertThat(db.poolSize()).isEqualTo(40);
          assertThat(db.timeouts().statementMs()).isEqualTo(2500);
          assertThat(db.embedded()).isTrue();
        });
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("PG_PORT", "five")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("PG_PORT must be an integer, got 'five'");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("PG_HOST", "db", "PG_USE_SSL", "yes")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("PG_USE_SSL must be true or false, got 'yes'");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_PG_URL", "postgresql://h/db?ssl=true")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUEEN_PG_URL")
        .hasMessageContaining("'ssl' is not supported");
  }

  @Test
  void badFlagsAndValuesAreRefusedClearly() {
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--nope", "1"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown option --nope (see --help)");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"http-port=1"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown option http-port (see --help)");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--http-port", "abc"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("QUEEN_HTTP_PORT must be an integer, got 'abc'");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("DEFAULT_BATCH_SIZE", "lots")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("DEFAULT_BATCH_SIZE must be an integer, got 'lots'");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--http-port"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("option --http-port needs a value");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--http-port", "70000"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--pg-url", "mysql://db/x"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUEEN_PG_URL");
  }

  // ---- stopping

  @Test
  void closingAnswersAParkedLongPollAtOnce() throws Exception {
    TestServer server = TestServer.start();
    CompletableFuture<Reply> parked;
    long closing;
    try {
      parked = server.getAsync("/api/v1/pop/queue/q?wait=true&timeout=30000");
      Api.eventually(Duration.ofSeconds(10), () -> server.get("/metrics/prometheus").body().asText()
          .contains("queen_http_long_polls_parked 1.0"));
      closing = System.nanoTime();
    } finally {
      server.close();
    }

    Reply reply = parked.get(10, TimeUnit.SECONDS);
    long answeredMs = (System.nanoTime() - closing) / 1_000_000;
    assertThat(answeredMs).as("answered %d ms after close began", answeredMs).isLessThan(5_000);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo(TestServer.json("{\"success\":true,\"queue\":\"q\",\"partition\":\"\","
        + "\"partitionId\":null,\"leaseId\":null,\"consumerGroup\":\"__QUEUE_MODE__\",\"messages\":[]}"));
  }

  // ---- the embedded Postgres

  @Test
  void theEmbeddedDatabaseKeepsMessagesAcrossRestarts(@TempDir Path dataDir) throws Exception {
    QueenServer first = started(config(null, dataDir, 0));
    try {
      HttpResponse<String> pushed = post(first.httpPort(), "/api/v1/push",
          "{\"items\":[{\"queue\":\"kept\",\"payload\":{\"n\":42},\"transactionId\":\"t-kept\"}]}");
      assertThat(pushed.statusCode()).isEqualTo(200);
      assertThat(first.databaseDescription()).contains("embedded").contains(dataDir.toString());
    } finally {
      first.close();
    }
    assertThat(dataDir.resolve("postgres/postmaster.pid")).as("Postgres stopped with the server").doesNotExist();

    QueenServer second = started(config(null, dataDir, 0));
    try {
      JsonNode popped = TestServer.json(get(second.httpPort(), "/api/v1/pop/queue/kept").body());
      assertThat(popped.get("messages")).hasSize(1);
      assertThat(popped.get("messages").get(0).get("transactionId").asText()).isEqualTo("t-kept");
      assertThat(popped.get("messages").get(0).get("data").get("n").asInt()).isEqualTo(42);
    } finally {
      second.close();
    }
  }

  @Test
  void aStalePidFileNamingAnotherProcessDoesNotStopTheStart(@TempDir Path dataDir) throws Exception {
    started(config(null, dataDir, 0)).close();
    // after a reboot or a container restart the pid Postgres recorded may belong to anything, here this JVM
    Path pidFile = dataDir.resolve("postgres").resolve(Postmaster.PID_FILE);
    Files.writeString(pidFile, ProcessHandle.current().pid() + "\n" + pidFile.getParent() + "\n");

    QueenServer again = started(config(null, dataDir, 0));
    try {
      assertThat(post(again.httpPort(), "/api/v1/push", "{\"items\":[{\"queue\":\"q\"}]}").statusCode())
          .isEqualTo(200);
    } finally {
      again.close();
    }
  }

  @Test
  void aSecondServerOnALiveDataDirRefusesAtOnce(@TempDir Path dataDir) throws Exception {
    QueenServer first = started(config(null, dataDir, 0));
    try (ServerProcess second = ServerProcess.start(dataDir)) {
      long started = System.nanoTime();
      int exitCode = second.awaitExit(Duration.ofSeconds(30));
      long refusedMs = (System.nanoTime() - started) / 1_000_000;
      System.out.printf("a second server on a live data dir refused after %d ms (JVM start included)%n", refusedMs);

      assertThat(exitCode).as("exit code; output: %s", second.output()).isEqualTo(1);
      assertThat(second.output()).last().asString()
          .startsWith("queen-j: QUEEN_DATA_DIR " + dataDir)
          .contains("in use by another Queen-J server (pid " + ProcessHandle.current().pid() + ")");
      assertThat(refusedMs).as("refused after, ms").isLessThan(15_000);
      assertThat(post(first.httpPort(), "/api/v1/push", "{\"items\":[{\"queue\":\"q\"}]}").statusCode())
          .as("the first server carries on").isEqualTo(200);
    } finally {
      first.close();
    }
  }

  @Test
  void aSecondServerOnTheSameOutageBufferRefuses(@TempDir Path dataDir) throws Exception {
    QueenServer first = started(config(TestPostgres.url(), dataDir, 0));
    try {
      QueenServer second = new QueenServer(config(TestPostgres.url(), dataDir, 0));
      assertThatThrownBy(() -> second.start().toCompletableFuture().get(30, TimeUnit.SECONDS))
          .cause().isInstanceOf(StartupException.class)
          .hasMessage("FILE_BUFFER_DIR " + dataDir.resolve("buffer") + " is in use by another Queen-J server (pid "
              + ProcessHandle.current().pid() + "); stop it first, or give this one its own --file-buffer-dir");
      assertClosesPromptly(second);
      assertThat(post(first.httpPort(), "/api/v1/push", "{\"items\":[{\"queue\":\"q\"}]}").statusCode())
          .as("the first server carries on").isEqualTo(200);
    } finally {
      first.close();
    }
    started(config(TestPostgres.url(), dataDir, 0)).close();
  }

  @Test
  void theRunnableStartsOnEmbeddedPostgresAndStopsCleanlyOnSigterm(@TempDir Path dataDir) throws Exception {
    try (ServerProcess server = ServerProcess.start(dataDir)) {
      int port = server.awaitListening(Duration.ofSeconds(60)).http();
      assertThat(get(port, "/health").statusCode()).isEqualTo(200);
      assertThat(post(port, "/api/v1/push", "{\"items\":[{\"queue\":\"q\"}]}").statusCode()).isEqualTo(200);
      ProcessHandle postgres = ProcessHandle.of(Postmaster.of(dataDir.resolve("postgres")).orElseThrow().pid())
          .orElseThrow();
      List<ProcessHandle> children = server.handle().descendants().toList();

      server.terminate();
      // 143 = 128 + SIGTERM: how the JVM reports a shutdown by SIGTERM whose hooks all completed
      assertThat(server.awaitExit(Duration.ofSeconds(20))).as("exit code; output: %s", server.output())
          .isEqualTo(143);
      assertThat(server.output()).contains("queen-j: stopping", "queen-j: stopped");
      assertThat(server.output()).noneMatch(line -> line.contains("Exception") || line.contains("ERROR"));
      assertThat(dataDir.resolve("postgres/postmaster.pid")).as("Postgres stopped with the server").doesNotExist();
      // Postgres removes its pid file just before it exits
      Eventually.until(Duration.ofSeconds(5), () -> !postgres.isAlive() && children.stream().noneMatch(
          ProcessHandle::isAlive), () -> "left running: Postgres " + postgres.pid() + " " + postgres.isAlive()
          + ", the server's children " + children.stream().filter(ProcessHandle::isAlive).toList());
    }
  }

  // ---- helpers

  private static QueenConfig config(String pgUrl, Path dataDir, int httpPort) {
    return new QueenConfig(new DatabaseConfig(pgUrl, dataDir, 4),
        new HttpConfig(httpPort, HttpConfig.DEFAULT_MAX_BODY_BYTES, HttpConfig.DEFAULT_TIMEOUT_MS,
            HttpConfig.DEFAULT_BATCH, ""),
        TestServer.kafka(true), 5_000);
  }

  private static QueenServer started(QueenConfig config) throws Exception {
    QueenServer server = new QueenServer(config);
    server.start().toCompletableFuture().get(90, TimeUnit.SECONDS);
    return server;
  }

  private static HttpResponse<String> get(int port, String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
  }

  private static HttpResponse<String> post(int port, String path, String json) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
