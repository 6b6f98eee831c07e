package dev.queenj.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queenj.core.cluster.ClusterSettings;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.http.HttpConfig;
import dev.queenj.kafka.KafkaConfig;
import dev.queenj.kafka.group.GroupConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * A real server started in-process on an ephemeral port over the shared test Postgres, and a small JSON client for
 * it. Tests talk HTTP to it exactly as Queen's clients do.
 */
public final class TestServer implements AutoCloseable {
  /** group.initial.rebalance.delay.ms of test servers. */
  public static final int GROUP_INITIAL_REBALANCE_DELAY_MS = 1_000;
  /** group.min.session.timeout.ms of test servers. */
  public static final int GROUP_MIN_SESSION_TIMEOUT_MS = 1_000;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final QueenServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A JSON answer: the status and the parsed body. */
  public record Reply(int status, JsonNode body, java.net.http.HttpHeaders headers) {}

  private TestServer(QueenServer server) {
    this.server = server;
  }

  public static TestServer start() {
    return start(defaultHttp());
  }

  /** HTTP on an ephemeral port, otherwise defaults. */
  public static HttpConfig defaultHttp() {
    return new HttpConfig(0, HttpConfig.DEFAULT_MAX_BODY_BYTES, HttpConfig.DEFAULT_TIMEOUT_MS,
        HttpConfig.DEFAULT_BATCH, "");
  }

  public static TestServer start(HttpConfig http) {
    return start(http, kafka(KafkaConfig.DEFAULT_AUTO_CREATE_TOPICS));
  }

  /**
   * Kafka on an ephemeral port, auto-creating topics or not, otherwise defaults except for the group coordinator's
   * timings: a group's first join waits {@link #GROUP_INITIAL_REBALANCE_DELAY_MS} instead of Kafka's 3 s (every
   * group test paid those 3 s), still long enough for members joining at once to form one generation; and sessions
   * may be as short as {@link #GROUP_MIN_SESSION_TIMEOUT_MS}, so that a test can let one expire quickly.
   * KafkaGroupSettingsTest checks Kafka's defaults on a server of its own.
   */
  public static KafkaConfig kafka(boolean autoCreateTopics) {
    return new KafkaConfig(0, "localhost", KafkaConfig.DEFAULT_PARTITIONS, KafkaConfig.DEFAULT_MAX_REQUEST_BYTES,
        autoCreateTopics).withGroups(GroupConfig.of(GROUP_MIN_SESSION_TIMEOUT_MS,
            GroupConfig.DEFAULT_MAX_SESSION_TIMEOUT_MS, GROUP_INITIAL_REBALANCE_DELAY_MS));
  }

  public static TestServer start(HttpConfig http, KafkaConfig kafka) {
    return start(new DatabaseConfig(TestPostgres.url(), freshDataDir(), 8), http, kafka);
  }

  /** A data directory of its own (it holds the server's outage buffer, which one server at a time may use). */
  public static Path freshDataDir() {
    try {
      Files.createDirectories(Path.of("target"));
      return Files.createTempDirectory(Path.of("target"), "queen-data-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Over a database of the test's own choosing (its own Postgres, other timeouts). */
  public static TestServer start(DatabaseConfig database, HttpConfig http, KafkaConfig kafka) {
    return start(new QueenConfig(database, http, kafka, 5_000));
  }

  /**
   * A server with this configuration; one left with the default cluster name gets a name of its own, so that the
   * test servers of one test run, all on the shared database, do not send each other's Kafka clients to each other
   * (a server's settings are its test's: other topics, ACLs, group timings). {@link ServerCluster} starts servers
   * that do share a name.
   */
  public static TestServer start(QueenConfig config) {
    if (config.cluster().name().equals(ClusterSettings.DEFAULT_NAME)) {
      config = config.withCluster(config.cluster().withName("test-" + UUID.randomUUID()));
    }
    QueenServer server = new QueenServer(config);
    try {
      server.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("test server did not start", e);
    }
    return new TestServer(server);
  }

  /** Empties the database; call before each test. */
  public void reset() {
    Vertx vertx = Vertx.vertx();
    try {
      var database = TestPostgres.database(vertx, 1);
      TestPostgres.reset(database);
      TestPostgres.await(database.close());
      // lag and sizes read before the reset would otherwise be answered for a few seconds more
      server.forgetRecentReads();
    } finally {
      TestPostgres.await(vertx.close());
    }
  }

  /**
   * Forgets the sizes, counts and lag the server reuses for 5 s, so the next {@code /status} reads them anew; a test
   * reading server-wide {@code /status} calls it before (its reads fresh) and after (the next test's).
   */
  public void forgetRecentReads() {
    server.forgetRecentReads();
  }

  /** How many times the server counted every queue's messages (ResourceService's shared read). */
  public long countReads() {
    return server.countReads();
  }

  public int port() {
    return server.httpPort();
  }

  public int kafkaPort() {
    return server.kafkaPort();
  }

  /** This server's Kafka node id among the instances on its database. */
  public int nodeId() {
    return server.nodeId();
  }

  /** The bound port of the Kafka listener with this security protocol. */
  public int kafkaPort(SecurityProtocol listener) {
    Integer port = server.kafkaPorts().get(listener);
    if (port == null) {
      throw new IllegalStateException("no " + listener + " Kafka listener: " + server.kafkaPorts());
    }
    return port;
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Reply delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  public Reply post(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Reply post(String path, JsonNode json) {
    return post(path, json.toString());
  }

  /** Sends without waiting for the answer (long-polls). */
  public CompletableFuture<Reply> getAsync(String path) {
    return client.sendAsync(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(TestServer::toReply);
  }

  /** Posts without waiting for the answer (concurrent requests). */
  public CompletableFuture<Reply> postAsync(String path, String json) {
    return client.sendAsync(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(TestServer::toReply);
  }

  public Reply send(HttpRequest.Builder request) {
    try {
      return toReply(client.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  private static Reply toReply(HttpResponse<String> response) {
    JsonNode body;
    try {
      body = response.body().isEmpty() ? null : MAPPER.readTree(response.body());
    } catch (IOException e) {
      body = MAPPER.getNodeFactory().textNode(response.body());
    }
    return new Reply(response.statusCode(), body, response.headers());
  }

  public static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
