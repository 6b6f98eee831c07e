package dev.queenj.test;

import dev.queenj.http.HttpConfig;
import dev.queenj.kafka.KafkaConfig;
import dev.queenj.kafka.group.GroupConfig;
import dev.queenj.server.DatabaseConfig;
import dev.queenj.server.QueenConfig;
import dev.queenj.server.QueenServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Queen-J broker running in this JVM over a database of its own in the {@linkplain SharedPostgres shared
 * Postgres}: where Kafka clients and HTTP clients reach it. While it runs, its addresses are also the system
 * properties {@value #BOOTSTRAP_SERVERS_PROPERTY} and {@value #HTTP_URL_PROPERTY}, and, when Spring is on the
 * classpath, {@value #SPRING_BOOTSTRAP_SERVERS_PROPERTY} (which Spring's environment resolves like any property);
 * {@link #close()} puts back what they were.
 */
public final class QueenJ implements AutoCloseable {
  public static final String BOOTSTRAP_SERVERS_PROPERTY = "queenj.bootstrap-servers";
  public static final String HTTP_URL_PROPERTY = "queenj.http-url";
  public static final String SPRING_BOOTSTRAP_SERVERS_PROPERTY = "spring.kafka.bootstrap-servers";
  private static final Logger LOG = LoggerFactory.getLogger(QueenJ.class);
  private static final String SPRING_MARKER = "org.springframework.core.env.PropertyResolver";
  /** Tests want a quick stop; parked long-polls are answered at once anyway. */
  private static final long SHUTDOWN_TIMEOUT_MS = 2_000;
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final int POOL_SIZE = 8;
  /** A test's consumers join one by one; waiting 3 s for more members, as a production broker does, only slows it. */
  private static final int NO_REBALANCE_DELAY_MS = 0;

  private final QueenServer server;
  private final SharedPostgres postgres;
  private final String databaseUrl;
  private final Path dataDir;
  private final Map<String, String> replacedProperties = new LinkedHashMap<>();

  private QueenJ(QueenServer server, SharedPostgres postgres, String databaseUrl, Path dataDir) {
    this.server = server;
    this.postgres = postgres;
    this.databaseUrl = databaseUrl;
    this.dataDir = dataDir;
  }

  /** Starts a broker over a fresh database of the shared Postgres; {@link #close()} stops it. */
  static QueenJ start(QueenJSettings settings) {
    long started = System.nanoTime();
    SharedPostgres postgres = SharedPostgres.get();
    long postgresReady = System.nanoTime();
    String databaseUrl = postgres.freshDatabase();
    long databaseReady = System.nanoTime();
    Path dataDir = tempDir();
    QueenServer server = new QueenServer(config(settings, databaseUrl, dataDir));
    try {
      server.start().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.close();
      postgres.drop(databaseUrl);
      delete(dataDir);
      throw new IllegalStateException("the embedded Queen-J did not start: " + e.getMessage(), e);
    }
    QueenJ queen = new QueenJ(server, postgres, databaseUrl, dataDir);
    queen.publishProperties();
    LOG.info("Queen-J started in {} ms (shared Postgres {} ms, fresh database {} ms, server {} ms): Kafka at {}, "
        + "HTTP at {}", millis(started, System.nanoTime()), millis(started, postgresReady),
        millis(postgresReady, databaseReady), millis(databaseReady, System.nanoTime()), queen.bootstrapServers(),
        queen.httpUrl());
    return queen;
  }

  /** {@code host:port} for Kafka clients' {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return server.kafkaAddress();
  }

  /** {@code http://127.0.0.1:port} of Queen's native HTTP API. */
  public String httpUrl() {
    return "http://127.0.0.1:" + server.httpPort();
  }

  /** Stops the broker, drops its database and restores the system properties it set. */
  @Override
  public void close() {
    try {
      server.close();
      postgres.drop(databaseUrl);
      delete(dataDir);
    } finally {
      restoreProperties();
    }
  }

  private static QueenConfig config(QueenJSettings settings, String databaseUrl, Path dataDir) {
    HttpConfig http = new HttpConfig(0, HttpConfig.DEFAULT_MAX_BODY_BYTES, HttpConfig.DEFAULT_TIMEOUT_MS,
        HttpConfig.DEFAULT_BATCH, "");
    KafkaConfig kafka = new KafkaConfig(0, KafkaConfig.DEFAULT_ADVERTISED_HOST, settings.partitions(),
        KafkaConfig.DEFAULT_MAX_REQUEST_BYTES, settings.autoCreateTopics())
        .withGroups(GroupConfig.of(GroupConfig.DEFAULT_MIN_SESSION_TIMEOUT_MS,
            GroupConfig.DEFAULT_MAX_SESSION_TIMEOUT_MS, NO_REBALANCE_DELAY_MS));
    return new QueenConfig(new DatabaseConfig(databaseUrl, dataDir, POOL_SIZE), http, kafka, SHUTDOWN_TIMEOUT_MS);
  }

  private void publishProperties() {
    setProperty(BOOTSTRAP_SERVERS_PROPERTY, bootstrapServers());
    setProperty(HTTP_URL_PROPERTY, httpUrl());
    if (springPresent()) {
      setProperty(SPRING_BOOTSTRAP_SERVERS_PROPERTY, bootstrapServers());
    }
  }

  private void setProperty(String name, String value) {
    replacedProperties.put(name, System.getProperty(name));
    System.setProperty(name, value);
  }

  private void restoreProperties() {
    replacedProperties.forEach((name, previous) -> {
      if (previous == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, previous);
      }
    });
    replacedProperties.clear();
  }

  private static boolean springPresent() {
    try {
      Class.forName(SPRING_MARKER, false, QueenJ.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("queenj-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The outage buffer's directory; nothing in it is needed once the broker stopped. */
  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.getMessage());
    }
  }

  private static long millis(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }
}
