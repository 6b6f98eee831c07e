package dev.queenj.client;

import dev.queenj.core.testing.TestPostgres;
import dev.queenj.http.HttpConfig;
import dev.queenj.http.auth.JwtConfig;
import dev.queenj.kafka.KafkaConfig;
import dev.queenj.server.DatabaseConfig;
import dev.queenj.server.QueenConfig;
import dev.queenj.server.QueenServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real server in the test's JVM on ephemeral ports over the shared test Postgres; JWT as the test asks. */
public final class TestBroker implements AutoCloseable {
  private static final int POOL_SIZE = 4;
  private static final long SHUTDOWN_TIMEOUT_MS = 2_000;
  private final QueenServer server;

  private TestBroker(QueenServer server) {
    this.server = server;
  }

  public static TestBroker start(JwtConfig jwt) {
    HttpConfig http = new HttpConfig(0, HttpConfig.DEFAULT_MAX_BODY_BYTES, HttpConfig.DEFAULT_TIMEOUT_MS,
        HttpConfig.DEFAULT_BATCH, "").withJwt(jwt);
    KafkaConfig kafka = new KafkaConfig(0, "localhost", KafkaConfig.DEFAULT_PARTITIONS,
        KafkaConfig.DEFAULT_MAX_REQUEST_BYTES, KafkaConfig.DEFAULT_AUTO_CREATE_TOPICS);
    QueenServer server = new QueenServer(new QueenConfig(new DatabaseConfig(TestPostgres.url(), dataDir(), POOL_SIZE),
        http, kafka, SHUTDOWN_TIMEOUT_MS));
    try {
      server.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.close();
      throw new IllegalStateException("test server did not start", e);
    }
    return new TestBroker(server);
  }

  public String url() {
    return "http://127.0.0.1:" + server.httpPort();
  }

  @Override
  public void close() {
    server.close();
  }

  private static Path dataDir() {
    try {
      Files.createDirectories(Path.of("target"));
      return Files.createTempDirectory(Path.of("target"), "queen-data-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
