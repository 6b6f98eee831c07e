package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.queenj.core.storage.Database;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.http.HttpConfig;
import dev.queenj.server.TestServer.Reply;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Design principle 5 and spec §2: bad input gets a clear JSON error with the right status and changes nothing.
 * "Nothing changed" is checked twice: every table of the database is compared before and after, and the queue still
 * answers a wildcard pop the way an untouched queue does.
 */
@ExtendWith(RunningServer.class)
class BadInputTest {
  private static final String A_UUID = "0190b5a2-8c5e-7d3a-9f1e-2b3c4d5e6f70";
  /** Every POST route that reads a JSON object body. */
  private static final String[] BODY_ROUTES = {"/api/v1/push", "/api/v1/configure", "/api/v1/ack",
      "/api/v1/ack/batch", "/api/v1/transaction", "/api/v1/lease/" + A_UUID + "/extend"};

  private final TestServer server;
  static Vertx vertx;
  static Database database;
  static HttpClient client;
  /** The fingerprint of the freshly reset database. */
  private String empty;

  BadInputTest(TestServer server) {
    this.server = server;
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    database = TestPostgres.database(vertx, 1);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    TestPostgres.await(database.close());
    TestPostgres.await(vertx.close());
  }

  @BeforeEach
  void clean() {
    empty = fingerprint();
  }

  // ---- bodies that are not a JSON object, on every route that reads one

  static Stream<String> bodyRoutes() {
    return Stream.of(BODY_ROUTES);
  }

  @ParameterizedTest
  @MethodSource("bodyRoutes")
  void invalidJsonIsRefused(String route) {
    assertError(server.post(route, "{\"items\":[{\"queue\":\"q\","), 400, "Invalid JSON body");
    assertError(server.post(route, "{\"queue\":\"q\"} trailing"), 400, "Invalid JSON body");
    assertError(server.post(route, "queue=q"), 400, "Invalid JSON body");
    assertNothingStored("q");
  }

  @ParameterizedTest
  @MethodSource("bodyRoutes")
  void emptyBodyIsRefused(String route) {
    assertError(server.post(route, ""), 400, "Request body is required");
    assertError(server.post(route, "  \n "), 400, "Request body is required");
    assertNothingStored("q");
  }

  @ParameterizedTest
  @MethodSource("bodyRoutes")
  void bodyThatIsNotAnObjectIsRefused(String route) {
    assertError(server.post(route, "[{\"queue\":\"q\"}]"), 400, "Request body must be a JSON object");
    assertError(server.post(route, "\"q\""), 400, "Request body must be a JSON object");
    assertError(server.post(route, "null"), 400, "Request body must be a JSON object");
    assertNothingStored("q");
  }

  // ---- push

  @Test
  void pushWithoutAnItemsArrayIsRefused() {
    assertError(server.post("/api/v1/push", "{}"), 400, "items array is required");
    assertError(server.post("/api/v1/push", "{\"items\":{\"queue\":\"q\"}}"), 400, "items array is required");
    assertError(server.post("/api/v1/push", "{\"items\":\"q\"}"), 400, "items array is required");
    assertNothingStored("q");
  }

  @Test
  void pushItemWhoseQueueIsNotAStringIsRefused() {
    assertError(server.post("/api/v1/push", "{\"items\":[{\"queue\":42}]}"), 400, "Queue must be a string");
    assertError(server.post("/api/v1/push", "{\"items\":[{\"queue\":[\"q\"]}]}"), 400, "Queue must be a string");
    assertError(server.post("/api/v1/push", "{\"items\":[{\"payload\":1}]}"), 400, "Queue must be a string");
    assertError(server.post("/api/v1/push", "{\"items\":[\"q\"]}"), 400, "each item must be an object");
    assertNothingStored("q");
  }

  @Test
  void pushItemWithWronglyTypedFieldsIsRefused() {
    assertError(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"partition\":7}]}"), 400,
        "partition must be a string");
    assertError(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"transactionId\":{\"id\":1}}]}"), 400,
        "transactionId must be a string");
    assertError(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"traceId\":12}]}"), 400,
        "traceId must be a string");
    assertError(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"traceId\":\"not-a-uuid\"}]}"), 400,
        "traceId must be a UUID");
    assertNothingStored("q");
  }

  @Test
  void oneBadItemRefusesTheWholePush() {
    Reply reply = server.post("/api/v1/push", """
        {"items":[{"queue":"q","payload":{"n":1},"transactionId":"good-1"},
                  {"queue":"q","payload":{"n":2},"transactionId":"good-2"},
                  {"queue":"q","payload":{"n":3},"traceId":"nope"},
                  {"queue":"other","payload":{"n":4}}]}""");

    assertError(reply, 400, "traceId must be a UUID");
    assertNothingStored("q");
    assertNothingStored("other");
  }

  @Test
  void namesThatPostgresCannotKeyAreRefused() {
    String longName = "n".repeat(256);
    assertError(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"" + longName + "\"}]}"), 400,
        "queue must be at most 255 characters");
    assertError(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"partition\":\"" + longName
        + "\"}]}"), 400, "partition must be at most 255 characters");
    assertError(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"transactionId\":\"" + longName
        + "\"}]}"), 400, "transactionId must be at most 255 characters");
    assertError(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"partition\":\"a\\u0000b\"}]}"),
        400, "partition must not contain NUL characters");
    assertError(server.post("/api/v1/configure", "{\"queue\":\"" + longName + "\"}"), 400,
        "queue must be at most 255 characters");
    assertError(server.get("/api/v1/pop/queue/q?consumerGroup=" + "g".repeat(3000)), 400,
        "consumerGroup must be at most 255 characters");
    assertError(server.get("/api/v1/pop/queue/q/partition/" + longName), 400,
        "partition must be at most 255 characters");
    assertNothingStored("q");
    // exactly at the cap is fine
    assertThat(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"transactionId\":\""
        + "t".repeat(255) + "\"}]}").status()).isEqualTo(200);
  }

  @Test
  void valuesPostgresRejectsAre400AndRollBack() {
    // NUL cannot be stored in Postgres text; the database refuses it and the configure transaction rolls back
    Reply reply = server.post("/api/v1/configure", "{\"queue\":\"q\",\"namespace\":\"a\\u0000b\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().get("error").asText()).startsWith("Invalid value: ");
    assertNothingStored("q");
  }

  @Test
  void bodyOverTheLimitIs413AndStoresNothing() {
    try (TestServer small = TestServer.start(new HttpConfig(0, 1024, HttpConfig.DEFAULT_TIMEOUT_MS,
        HttpConfig.DEFAULT_BATCH, ""))) {
      String big = "{\"items\":[{\"queue\":\"q\",\"payload\":\"" + "x".repeat(4096) + "\"}]}";
      String fits = "{\"items\":[{\"queue\":\"q\",\"payload\":\"" + "x".repeat(512) + "\"}]}";

      // with a Content-Length the body is refused before it is read
      assertError(small.post("/api/v1/push", big), 413, "Request body too large");
      // chunked: no length is announced, so the limit applies while the body arrives
      Reply chunked = small.send(HttpRequest.newBuilder(small.uri("/api/v1/push"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofInputStream(
              () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
      assertError(chunked, 413, "Request body too large");
      assertNothingStored("q");

      // the limit, not the content, is what refused them
      assertThat(small.post("/api/v1/push", fits).status()).isEqualTo(200);
      assertThat(small.get("/health").status()).isEqualTo(200);
    }
  }

  // ---- routing

  @Test
  void unknownRouteIs404Json() {
    assertError(server.get("/api/v1/nope"), 404, "Not found");
    assertError(server.post("/api/v1/nope", "{}"), 404, "Not found");
    assertError(server.get("/nope"), 404, "Not found");
    assertError(server.get("/api/v1/pop/queue/q/partition"), 404, "Not found");
  }

  @Test
  void wrongMethodOnAKnownRouteIs404Json() {
    assertError(server.get("/api/v1/push"), 404, "Not found");
    assertError(server.delete("/api/v1/ack"), 404, "Not found");
    assertError(server.post("/api/v1/pop/queue/q", "{}"), 404, "Not found");
    assertError(server.send(HttpRequest.newBuilder(server.uri("/api/v1/configure"))
        .PUT(HttpRequest.BodyPublishers.ofString("{\"queue\":\"q\"}"))), 404, "Not found");
    assertNothingStored("q");
  }

  @Test
  void malformedEscapesInThePathOrQueryAre400() throws IOException {
    RawReply path = raw("GET /api/v1/pop/queue/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(path.status()).isEqualTo(400);
    assertThat(TestServer.json(path.body()).get("error").asText())
        .isEqualTo("Malformed request URL: check its percent-encoding");

    RawReply query = raw("GET /api/v1/pop/queue/q?batch=%G1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(query.status()).isEqualTo(400);
    assertThat(TestServer.json(query.body()).get("error").asText())
        .isEqualTo("Malformed request URL: check its percent-encoding");
    assertNothingStored("q");
  }

  @Test
  void undecodableHttpGetsAJsonErrorAndTheConnectionCloses() throws IOException {
    RawReply badLength = raw("POST /api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n{}");
    assertThat(badLength.status()).isEqualTo(400);
    assertThat(TestServer.json(badLength.body()).get("error").asText()).isEqualTo("Malformed HTTP request");

    RawReply longLine = raw("GET /api/v1/pop/queue/" + "q".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(longLine.status()).isEqualTo(414);
    assertThat(TestServer.json(longLine.body()).get("error").asText()).isEqualTo("Request line too long");

    RawReply bigHeader = raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Junk: " + "j".repeat(20_000) + "\r\n\r\n");
    assertThat(bigHeader.status()).isEqualTo(431);
    assertThat(TestServer.json(bigHeader.body()).get("error").asText()).isEqualTo("Request headers too large");
    assertThat(server.get("/health").status()).isEqualTo(200);
  }

  @Test
  void nulInAPathParameterIs400() throws IOException {
    RawReply reply = raw("GET /api/v1/pop/queue/q%00x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(TestServer.json(reply.body()).get("error").asText()).isEqualTo("queue must not contain NUL characters");
    assertNothingStored("q");
  }

  // ---- pop

  @Test
  void popOfAnUnknownQueueAnswersEmptyAndCreatesNothing() {
    Reply wildcard = server.get("/api/v1/pop/queue/ghost?batch=5");
    assertThat(wildcard.status()).isEqualTo(200);
    assertThat(wildcard.body()).isEqualTo(TestServer.json(
        "{\"success\":false,\"error\":\"no_available_partition\",\"messages\":[]}"));

    Reply partition = server.get("/api/v1/pop/queue/ghost/partition/p1");
    assertThat(partition.status()).isEqualTo(200);
    assertThat(partition.body()).isEqualTo(TestServer.json(
        "{\"success\":false,\"error\":\"partition_not_found\",\"messages\":[]}"));

    Reply group = server.get("/api/v1/pop/queue/ghost?consumerGroup=g1&subscriptionMode=new&autoAck=true");
    assertThat(group.body().get("error").asText()).isEqualTo("no_available_partition");
    assertThat(fingerprint()).isEqualTo(empty);
  }

  @Test
  void nonIntegerQueryParametersAre400() {
    push("q", "t1");
    String before = fingerprint();

    assertError(server.get("/api/v1/pop/queue/q?batch=ten"), 400, "batch must be an integer, got 'ten'");
    assertError(server.get("/api/v1/pop/queue/q?batch=1.5"), 400, "batch must be an integer, got '1.5'");
    assertError(server.get("/api/v1/pop/queue/q?batch=99999999999"), 400,
        "batch must be an integer, got '99999999999'");
    assertError(server.get("/api/v1/pop/queue/q?batch=0"), 400, "batch must be between 1 and 10000");
    assertError(server.get("/api/v1/pop/queue/q?partitions=many"), 400, "partitions must be an integer, got 'many'");
    assertError(server.get("/api/v1/pop/queue/q?wait=true&timeout=soon"), 400,
        "timeout must be an integer, got 'soon'");
    assertError(server.get("/api/v1/pop/queue/q?timeout=soon"), 400, "timeout must be an integer, got 'soon'");
    assertError(server.get("/api/v1/pop/queue/q?wait=true&timeout=-1"), 400, "timeout must not be negative");

    assertThat(fingerprint()).isEqualTo(before);
    assertThat(server.get("/api/v1/pop/queue/q").body().get("messages").get(0).get("transactionId").asText())
        .isEqualTo("t1");
  }

  @Test
  void invalidSubscriptionStartIs400() {
    push("q", "t1");
    String before = fingerprint();

    assertError(server.get("/api/v1/pop/queue/q?consumerGroup=g1&subscriptionFrom=yesterday"), 400,
        "subscriptionFrom must be an ISO-8601 timestamp, got 'yesterday'");
    assertError(server.get("/api/v1/pop/queue/q/partition/Default?consumerGroup=g1&subscriptionFrom=2024-13-01"),
        400, "subscriptionFrom must be an ISO-8601 timestamp, got '2024-13-01'");

    // the refused pops recorded no subscription: the group still starts from the beginning
    assertThat(fingerprint()).isEqualTo(before);
    assertThat(server.get("/api/v1/pop/queue/q?consumerGroup=g1").body().get("messages")).hasSize(1);
  }

  // ---- ack

  @Test
  void unknownAckStatusIsAPerItemFailure() {
    Popped popped = pushAndPop("q", "t1");
    String before = fingerprint();

    Reply reply = server.post("/api/v1/ack", String.format(
        "{\"transactionId\":\"t1\",\"partitionId\":\"%s\",\"leaseId\":\"%s\",\"status\":\"bogus\"}",
        popped.partitionId(), popped.leaseId()));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().isArray()).isTrue();
    assertThat(reply.body()).hasSize(1);
    assertThat(reply.body().get(0).get("index").asInt()).isEqualTo(0);
    assertThat(reply.body().get(0).get("success").asBoolean()).isFalse();
    assertThat(reply.body().get(0).get("error").asText()).isEqualTo("Unknown status: bogus");
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void ackWithoutIdsIs400() {
    Popped popped = pushAndPop("q", "t1");
    String before = fingerprint();

    assertError(server.post("/api/v1/ack", "{\"partitionId\":\"" + popped.partitionId() + "\"}"), 400,
        "transactionId is required");
    assertError(server.post("/api/v1/ack", "{\"transactionId\":\"\",\"partitionId\":\"" + popped.partitionId()
        + "\"}"), 400, "transactionId is required");
    assertError(server.post("/api/v1/ack", "{\"transactionId\":\"t1\"}"), 400,
        "partitionId is required to ensure message uniqueness");
    assertError(server.post("/api/v1/ack", "{\"transactionId\":\"t1\",\"partitionId\":null}"), 400,
        "partitionId is required to ensure message uniqueness");
    assertError(server.post("/api/v1/ack/batch", "{\"acknowledgments\":{}}"), 400,
        "acknowledgments array is required");
    assertError(server.post("/api/v1/ack/batch", "{\"acknowledgments\":[{\"transactionId\":1}]}"), 400,
        "transactionId must be a string");
    assertError(server.post("/api/v1/ack/batch", "{\"acknowledgments\":[\"t1\"]}"), 400,
        "each acknowledgment must be an object");

    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void malformedPartitionIdIsAPerItemFailure() {
    Popped popped = pushAndPop("q", "t1");
    String before = fingerprint();

    Reply single = server.post("/api/v1/ack", "{\"transactionId\":\"t1\",\"partitionId\":\"not-a-uuid\"}");
    assertThat(single.status()).isEqualTo(200);
    assertThat(single.body()).hasSize(1);
    assertThat(single.body().get(0).get("success").asBoolean()).isFalse();
    assertThat(single.body().get(0).get("error").asText()).isEqualTo("Invalid partitionId: not-a-uuid");

    Reply batch = server.post("/api/v1/ack/batch", String.format("{\"acknowledgments\":["
        + "{\"transactionId\":\"t1\",\"partitionId\":\"nope\",\"leaseId\":\"%s\"},"
        + "{\"transactionId\":\"t1\",\"partitionId\":\"%s\",\"leaseId\":\"%s\",\"status\":\"retry\"}]}",
        popped.leaseId(), popped.partitionId(), popped.leaseId()));
    assertThat(batch.status()).isEqualTo(200);
    assertThat(batch.body().get(0).get("success").asBoolean()).isFalse();
    assertThat(batch.body().get(0).get("error").asText()).isEqualTo("Invalid partitionId: nope");
    // a bad item fails alone: its well-formed neighbour is applied
    assertThat(batch.body().get(1).get("index").asInt()).isEqualTo(1);
    assertThat(batch.body().get(1).get("success").asBoolean()).isTrue();
    assertThat(fingerprint()).isNotEqualTo(before);
  }

  // ---- configure

  @Test
  void configureWithoutAQueueIs400() {
    assertError(server.post("/api/v1/configure", "{\"options\":{\"leaseTime\":10}}"), 400, "queue is required");
    assertError(server.post("/api/v1/configure", "{\"queue\":\"\"}"), 400, "queue is required");
    assertError(server.post("/api/v1/configure", "{\"queue\":5}"), 400, "queue is required");
    assertThat(fingerprint()).isEqualTo(empty);
  }

  @Test
  void configureWithAWronglyTypedOptionIs400() {
    assertError(server.post("/api/v1/configure", "{\"queue\":\"q\",\"options\":{\"leaseTime\":\"long\"}}"), 400,
        "options.leaseTime must be an integer");
    assertError(server.post("/api/v1/configure", "{\"queue\":\"q\",\"options\":{\"retryLimit\":2.5}}"), 400,
        "options.retryLimit must be an integer");
    assertError(server.post("/api/v1/configure", "{\"queue\":\"q\",\"options\":{\"ttl\":1e30}}"), 400,
        "options.ttl must be an integer");
    assertError(server.post("/api/v1/configure", "{\"queue\":\"q\",\"options\":{\"retentionEnabled\":\"yes\"}}"),
        400, "options.retentionEnabled must be a boolean");
    assertError(server.post("/api/v1/configure", "{\"queue\":\"q\",\"options\":[]}"), 400,
        "options must be an object");
    assertError(server.post("/api/v1/configure", "{\"queue\":\"q\",\"namespace\":1}"), 400,
        "namespace must be a string");
    assertNothingStored("q");
  }

  // ---- transaction

  @Test
  void transactionWithoutOperationsIs400() {
    assertError(server.post("/api/v1/transaction", "{}"), 400, "operations array is required");
    assertError(server.post("/api/v1/transaction", "{\"operations\":[]}"), 400, "operations array is required");
    assertError(server.post("/api/v1/transaction", "{\"operations\":{\"type\":\"push\"}}"), 400,
        "operations array is required");
    assertNothingStored("q");
  }

  @Test
  void transactionWithAMalformedPushItemStoresNothing() {
    Popped popped = pushAndPop("in", "t1");
    String before = fingerprint();

    Reply reply = server.post("/api/v1/transaction", String.format("{\"operations\":["
        + "{\"type\":\"ack\",\"transactionId\":\"t1\",\"partitionId\":\"%s\",\"leaseId\":\"%s\"},"
        + "{\"type\":\"push\",\"items\":[{\"queue\":\"out\",\"payload\":1},{\"queue\":7}]}]}",
        popped.partitionId(), popped.leaseId()));

    assertError(reply, 400, "Queue must be a string");
    assertThat(fingerprint()).isEqualTo(before);
    assertThat(server.get("/api/v1/pop/queue/out").body().get("error").asText())
        .isEqualTo("no_available_partition");
  }

  // ---- lease

  @Test
  void leaseExtendWithABadBodyIs400() {
    Popped popped = pushAndPop("q", "t1");
    String route = "/api/v1/lease/" + popped.leaseId() + "/extend";
    String before = fingerprint();

    assertError(server.post(route, ""), 400, "Request body is required");
    assertError(server.post(route, "{\"seconds\":\"soon\"}"), 400, "seconds must be a positive integer");
    assertError(server.post(route, "{\"seconds\":\"60\"}"), 400, "seconds must be a positive integer");
    assertError(server.post(route, "{\"seconds\":1.5}"), 400, "seconds must be a positive integer");
    assertError(server.post(route, "{\"seconds\":0}"), 400, "seconds must be a positive integer");
    assertError(server.post(route, "{\"seconds\":99999999999}"), 400, "seconds must be a positive integer");

    assertThat(fingerprint()).isEqualTo(before);
    Reply extended = server.post(route, "{}");
    assertThat(extended.status()).isEqualTo(200);
    assertThat(extended.body().get(0).get("success").asBoolean()).isTrue();
  }

  // ---- CORS

  @Test
  void preflightIsAnsweredWithCorsHeaders() {
    Reply reply = server.send(HttpRequest.newBuilder(server.uri("/api/v1/push"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "http://dashboard.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type"));

    assertThat(reply.status()).isEqualTo(204);
    assertCors(reply);
    assertThat(reply.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(methods ->
        assertThat(methods.split(",\\s*")).contains("GET", "POST", "PUT", "DELETE", "OPTIONS"));
    assertThat(reply.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(headers ->
        assertThat(headers.split(",\\s*")).contains("Content-Type", "Authorization"));
    assertNothingStored("q");
  }

  @Test
  void corsHeadersAreOnEveryKindOfAnswer() {
    assertCors(server.get("/health"));
    assertCors(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\"}]}"));
    assertCors(server.get("/api/v1/pop/queue/q"));
    assertCors(server.post("/api/v1/push", "{"));
    assertCors(server.get("/api/v1/nope"));
    assertCors(server.get("/api/v1/push"));
  }

  // ---- robustness

  @Test
  void concurrentGarbageDoesNotHurtTheServer() throws Exception {
    Random random = new Random(20240601);
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      String route = BODY_ROUTES[i % BODY_ROUTES.length];
      HttpRequest request = HttpRequest.newBuilder(server.uri(route)).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(garbage(random, i))).build();
      answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < 40; i++) {
      String path = i % 2 == 0 ? "/api/v1/pop/queue/q?batch=" + random.nextInt() + "x&wait=" + i
          : "/api/v1/" + Integer.toHexString(random.nextInt());
      answers.add(client.sendAsync(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    ExecutorService sockets = Executors.newFixedThreadPool(8);
    List<CompletableFuture<RawReply>> rawAnswers = new ArrayList<>();
    try {
      for (int i = 0; i < 24; i++) {
        byte[] junk = new byte[64 + random.nextInt(512)];
        random.nextBytes(junk);
        String request = i % 3 == 0 ? new String(junk, StandardCharsets.ISO_8859_1) + "\r\n\r\n"
            : i % 3 == 1 ? "POST /api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n{}"
            : "GET /api/v1/pop/queue/%" + i + "Z HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        rawAnswers.add(CompletableFuture.supplyAsync(() -> rawQuietly(request), sockets));
      }
      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isBetween(400, 499);
        assertThat(TestServer.json(response.body()).get("error").isTextual()).as(response.body()).isTrue();
      }
      for (CompletableFuture<RawReply> answer : rawAnswers) {
        RawReply reply = answer.get(60, TimeUnit.SECONDS);
        assertThat(reply.status()).as(reply.body()).isLessThan(500);
      }
    } finally {
      sockets.shutdownNow();
    }

    assertThat(server.get("/health").status()).isEqualTo(200);
    assertThat(fingerprint()).isEqualTo(empty);
    assertThat(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\"}]}").status()).isEqualTo(200);
  }

  /** Bodies a confused or hostile client might send: random bytes, cut-off JSON, deep nesting, wrong types. */
  private static byte[] garbage(Random random, int i) {
    String valid = "{\"items\":[{\"queue\":\"q\",\"payload\":{\"n\":1}}],\"queue\":\"q\","
        + "\"transactionId\":\"t\",\"partitionId\":\"p\",\"operations\":[{\"type\":\"push\"}],\"seconds\":5}";
    switch (i % 6) {
      case 0: {
        byte[] bytes = new byte[1 + random.nextInt(256)];
        random.nextBytes(bytes);
        bytes[0] = '{';
        return bytes;
      }
      case 1:
        return valid.substring(0, 1 + random.nextInt(valid.length() - 2)).getBytes(StandardCharsets.UTF_8);
      case 2:
        return ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
      case 3:
        return ("{\"items\":[{\"queue\":\"q\",\"payload\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3000)
            + "}]}").getBytes(StandardCharsets.UTF_8);
      case 4:
        return new byte[] {'{', '"', 'q', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
      default:
        return ("{\"items\":" + random.nextInt() + ",\"operations\":" + random.nextInt() + ",\"seconds\":\"x\","
            + "\"acknowledgments\":null,\"queue\":[]}").getBytes(StandardCharsets.UTF_8);
    }
  }

  // ---- helpers

  private record Popped(String partitionId, String leaseId) {}

  private record RawReply(int status, String body) {}

  private void push(String queue, String transactionId) {
    Reply pushed = server.post("/api/v1/push", String.format(
        "{\"items\":[{\"queue\":\"%s\",\"payload\":{\"n\":1},\"transactionId\":\"%s\"}]}", queue, transactionId));
    assertThat(pushed.status()).isEqualTo(200);
  }

  private Popped pushAndPop(String queue, String transactionId) {
    push(queue, transactionId);
    JsonNode popped = server.get("/api/v1/pop/queue/" + queue).body();
    assertThat(popped.get("messages")).hasSize(1);
    return new Popped(popped.get("partitionId").asText(), popped.get("leaseId").asText());
  }

  private static void assertError(Reply reply, int status, String message) {
    assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
    assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
        assertThat(type).startsWith("application/json"));
    assertThat(reply.body()).isEqualTo(JsonNodeFactory.instance.objectNode().put("error", message));
    assertCors(reply);
  }

  private static void assertCors(Reply reply) {
    assertThat(reply.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
  }

  /** Nothing in the database, and the queue pops as one that was never pushed to. */
  private void assertNothingStored(String queue) {
    assertThat(fingerprint()).isEqualTo(empty);
    Reply pop = server.get("/api/v1/pop/queue/" + queue);
    assertThat(pop.body()).isEqualTo(TestServer.json(
        "{\"success\":false,\"error\":\"no_available_partition\",\"messages\":[]}"));
  }

  /**
   * Every row of every table as text, so that equal fingerprints mean a request changed nothing at all; except the
   * instances' own bookkeeping (registry heartbeats, membership, group leases), which running servers rewrite every
   * heartbeat whatever the requests.
   */
  private static String fingerprint() {
    StringBuilder out = new StringBuilder();
    for (Row table : TestPostgres.await(database.pool().query("SELECT table_name::text FROM information_schema.tables"
        + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        + " AND table_name NOT IN ('schema_migrations', 'queen_instances', 'queen_cluster_membership',"
        + " 'queen_group_leases') ORDER BY 1").execute())) {
      String name = table.getString(0);
      Row rows = TestPostgres.await(database.pool().query("SELECT count(*), coalesce(string_agg(t::text, E'\\n' "
          + "ORDER BY t::text), '') FROM \"" + name + "\" t").execute()).iterator().next();
      out.append(name).append(" (").append(rows.getLong(0)).append(" rows)\n").append(rows.getString(1))
          .append('\n');
    }
    return out.toString();
  }

  /** One request written byte for byte, for what java.net.http refuses to send; the connection must close. */
  private RawReply raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (response.isEmpty()) {
        return new RawReply(0, "");
      }
      int status = Integer.parseInt(response.substring(9, 12));
      int bodyStart = response.indexOf("\r\n\r\n");
      return new RawReply(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
    }
  }

  private RawReply rawQuietly(String request) {
    try {
      return raw(request);
    } catch (IOException e) {
      // a reset connection is a fine answer to junk; only a 5xx or a dead server is not
      return new RawReply(0, e.toString());
    }
  }

  @Test
  void partitionSeekRefusesAMalformedBodyAndChangesNothing() {
    Api api = new Api(server);
    api.push("seek-bad", "p", "m1");
    Reply reply = server.post("/api/v1/consumer-groups/g/queues/seek-bad/partitions/p/seek", "{");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().get("error").asText()).isEqualTo("Invalid JSON body");
    assertThat(Api.ids(api.pop("seek-bad?consumerGroup=g"))).containsExactly("m1");
  }

}
