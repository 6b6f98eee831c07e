package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.server.TestServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Queen streams' server side (queen-streams.md): the three {@code /streams/v1} routes at the HTTP level, the cycle's
 * all-or-nothing commit of state, sink pushes and source ack, and the state surviving a restart.
 */
@ExtendWith(RunningServer.class)
class StreamsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String GROUP = "streams.q";
  private static final String SEP = "\u001f";
  private final TestServer server;
  private final Api api;

  StreamsTest(TestServer server, Api api) {
    this.server = server;
    this.api = api;
  }

  @Test
  void registrationFollowsTheSpecTable() {
    Reply fresh = register("orders.per_min", "h1", false);
    assertThat(fresh.status()).isEqualTo(200);
    assertThat(fresh.body().get("fresh").asBoolean()).isTrue();
    assertThat(fresh.body().get("reset").asBoolean()).isFalse();
    assertThat(fresh.body().get("config_hash").asText()).isEqualTo("h1");
    String id = fresh.body().get("query_id").asText();
    assertThat(UUID.fromString(id)).isNotNull();

    Reply same = register("orders.per_min", "h1", true);
    assertThat(same.status()).isEqualTo(200);
    assertThat(same.body().get("query_id").asText()).isEqualTo(id);
    assertThat(same.body().get("fresh").asBoolean()).isFalse();
    assertThat(same.body().get("reset").asBoolean()).as("reset with an unchanged hash wipes nothing").isFalse();

    String partition = api.push("orders", "p", "m1");
    assertThat(cycle(cycleBody(id, partition).set("state_ops", ops(upsert("k", "{\"n\":1}"))))
        .get("success").asBoolean()).isTrue();

    Reply conflict = register("orders.per_min", "h2", false);
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.body().get("success").asBoolean()).isFalse();
    assertThat(conflict.body().get("query_id").asText()).isEqualTo(id);
    assertThat(conflict.body().get("error").asText()).startsWith("config_hash mismatch").contains("reset:true");
    assertThat(stateKeys(id, partition, "{}")).containsExactly("k");

    Reply reset = server.post("/streams/v1/queries", "{\"name\":\"orders.per_min\",\"source_queue\":\"orders\","
        + "\"config_hash\":\"h2\",\"reset\":\"true\"}");
    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.body().get("reset").asBoolean()).isTrue();
    assertThat(reset.body().get("query_id").asText()).isEqualTo(id);
    assertThat(stateKeys(id, partition, "{}")).isEmpty();
    // the replayed reset is a same-hash call: nothing is wiped twice
    cycle(cycleBody(id, partition).set("state_ops", ops(upsert("k2", "1"))));
    assertThat(register("orders.per_min", "h2", true).body().get("reset").asBoolean()).isFalse();
    assertThat(stateKeys(id, partition, "{}")).containsExactly("k2");
  }

  @Test
  void concurrentFirstRegistrationsWithDifferentHashesCreateOneQueryAndConflictTheRest() {
    List<java.util.concurrent.CompletableFuture<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      replies.add(server.postAsync("/streams/v1/queries",
          "{\"name\":\"raced\",\"source_queue\":\"src\",\"config_hash\":\"h" + i + "\"}"));
    }
    List<Integer> statuses = new ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (var reply : replies) {
      Reply done = reply.join();
      statuses.add(done.status());
      ids.add(done.body().get("query_id").asText());
    }
    assertThat(statuses).containsOnly(200, 409).filteredOn(status -> status == 200).hasSize(1);
    assertThat(ids).as("every answer names the one query").hasSize(1);
  }

  @Test
  void stateReadsFilterByKeysLiteralPrefixAndRipeness() {
    String id = queryId("filters");
    String partition = api.push("src", "p", "m1");
    ArrayNode ops = ops(upsert("tumb:60" + SEP + "a", "{\"acc\":1,\"windowEnd\":100}"),
        upsert("tumb:60" + SEP + "b", "{\"acc\":2,\"windowEnd\":200}"),
        upsert("tumb:60" + SEP + "c", "{\"acc\":3,\"windowEnd\":\"50\"}"),
        upsert("tumb:60" + SEP + "d", "{\"acc\":4}"),
        upsert("a%b", "{}"), upsert("axb", "{}"), upsert("a_c", "{}"), upsert("abc", "{}"),
        upsert("__wm__", "{\"eventTimeMs\":7}"), upsert("gone", "{}"), delete("gone"));
    JsonNode committed = cycle(cycleBody(id, partition).set("state_ops", ops));
    assertThat(committed.get("state_ops_applied").asInt()).isEqualTo(11);

    assertThat(stateKeys(id, partition, "{\"keys\":null}")).hasSize(9).isSorted();
    assertThat(stateKeys(id, partition, "{\"keys\":[\"abc\",\"nope\",\"__wm__\"]}"))
        .containsExactly("__wm__", "abc");
    assertThat(stateKeys(id, partition, "{\"key_prefix\":\"a%\"}")).containsExactly("a%b");
    assertThat(stateKeys(id, partition, "{\"key_prefix\":\"a_\"}")).containsExactly("a_c");
    assertThat(stateKeys(id, partition, "{\"key_prefix\":\"\",\"keys\":[]}")).hasSize(9);
    assertThat(stateKeys(id, partition, "{\"key_prefix\":\"tumb:60" + "\\u001f\",\"ripe_at_or_before\":150}"))
        .as("a string or missing windowEnd is never ripe").containsExactly("tumb:60" + SEP + "a");
    assertThat(stateKeys(id, partition, "{\"ripe_at_or_before\":\"150\"}")).as("not a number: no filter")
        .hasSize(9);
    JsonNode row = stateGet(id, partition, "{\"keys\":[\"__wm__\"]}").get("rows").get(0);
    assertThat(row.get("value").get("eventTimeMs").asInt()).isEqualTo(7);
    assertThat(row.get("updated_at").asText()).endsWith("Z");
    assertThat(stateKeys(id, UUID.randomUUID().toString(), "{}")).isEmpty();
    assertThat(stateKeys(UUID.randomUUID().toString(), partition, "{}")).isEmpty();
  }

  @Test
  void aCycleCommitsStateSinkPushesAndTheAckTogether() {
    String id = queryId("together");
    api.push("src", "p", "m1", "m2", "m3");
    JsonNode messages = popGroup("src").get("messages");
    JsonNode last = messages.get(2);
    ObjectNode body = cycleBody(id, last.get("partitionId").asText());
    body.set("state_ops", ops(upsert("sum", "{\"acc\":6}")));
    body.set("push_items", sink("out", "r1", "r2", "r3"));
    body.set("ack", ack(last, 3));
    double pushed = counter("queen_cluster_push_messages_total");
    double acked = counter("queen_cluster_ack_messages_total");

    JsonNode answer = cycle(body);
    assertThat(counter("queen_cluster_push_messages_total") - pushed).isEqualTo(3);
    assertThat(counter("queen_cluster_ack_messages_total") - acked).isEqualTo(3);
    assertThat(answer.get("success").asBoolean()).as("%s", answer).isTrue();
    assertThat(answer.get("queueName").asText()).isEqualTo("src");
    assertThat(answer.get("state_ops_applied").asInt()).isEqualTo(1);
    assertThat(answer.get("ack_result").toString())
        .isEqualTo("{\"success\":true,\"count\":3,\"lease_released\":true,\"dlq\":false}");
    JsonNode pushes = answer.get("push_results");
    assertThat(pushes).hasSize(3).allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("queued"));
    List<String> ids = new ArrayList<>();
    pushes.forEach(r -> ids.add(r.get("message_id").asText()));
    assertThat(ids).as("UUIDv7 ids increase in item order").isSorted();

    assertThat(stateKeys(id, last.get("partitionId").asText(), "{}")).containsExactly("sum");
    JsonNode out = api.pop("out", "batch=10");
    assertThat(out.get("messages")).extracting(m -> m.get("data").get("n").asText())
        .containsExactly("r1", "r2", "r3");
    assertThat(popGroup("src").get("messages")).as("cursor moved and lease released").isEmpty();
    JsonNode group = server.get("/api/v1/consumer-groups/" + GROUP).body();
    assertThat(group.toString()).contains("src");
  }

  @Test
  void aForeignOrExpiredLeaseOrAMissingMessageCommitsNothing() {
    String id = queryId("lease");
    api.configure("src", "{\"leaseTime\":1}");
    api.push("src", "p", "m1", "m2");
    JsonNode first = popGroup("src").get("messages");
    String partition = first.get(0).get("partitionId").asText();

    ObjectNode foreign = fullCycle(id, first.get(1), 2);
    ((ObjectNode) foreign.get("ack")).put("leaseId", UUID.randomUUID().toString());
    assertFailedCleanly(cycle(foreign), "Invalid or expired lease");

    ObjectNode missing = fullCycle(id, first.get(1), 2);
    ((ObjectNode) missing.get("ack")).put("transactionId", "no-such-message");
    assertFailedCleanly(cycle(missing), "Message not found");

    // the lease (1 s) expires and the batch returns under a new lease; the old one commits nothing
    List<JsonNode> again = new ArrayList<>();
    Api.eventually(Duration.ofSeconds(10), () -> {
      JsonNode pop = popGroup("src");
      pop.get("messages").forEach(again::add);
      return !again.isEmpty();
    });
    assertThat(again).extracting(m -> m.get("transactionId").asText()).containsExactly("m1", "m2");
    assertFailedCleanly(cycle(fullCycle(id, first.get(1), 2)), "Invalid or expired lease");

    assertThat(stateKeys(id, partition, "{}")).isEmpty();
    assertThat(api.pop("out", "batch=10").get("messages")).isEmpty();
    JsonNode good = cycle(fullCycle(id, again.get(1), 2));
    assertThat(good.get("success").asBoolean()).as("%s", good).isTrue();
    assertThat(stateKeys(id, partition, "{}")).containsExactly("k");
  }

  @Test
  void unknownQueriesOpsStatusesAndIdsFailTheCycle() {
    String partition = api.push("src", "p", "m1");
    assertFailedCleanly(cycle(cycleBody(UUID.randomUUID().toString(), partition)), "Unknown query_id");
    String id = queryId("unknowns");
    ObjectNode badOp = cycleBody(id, partition);
    badOp.putArray("state_ops").addObject().put("type", "merge").put("key", "k");
    assertFailedCleanly(cycle(badOp), "Unknown state_op type: merge");
    ObjectNode badStatus = cycleBody(id, partition);
    badStatus.putObject("ack").put("transactionId", "m1").put("status", "retry");
    assertFailedCleanly(cycle(badStatus), "Unknown ack.status: retry");
    JsonNode notUuid = cycle(cycleBody(id, "not-a-uuid"));
    assertThat(notUuid.get("success").asBoolean()).isFalse();
    assertThat(notUuid.get("error").asText()).contains("uuid");
  }

  @Test
  void aFailedAckDeadLettersThatMessageAndMovesTheCursor() {
    String id = queryId("dlq");
    api.push("src", "p", "m1", "m2");
    JsonNode messages = popGroup("src").get("messages");
    ObjectNode body = cycleBody(id, messages.get(0).get("partitionId").asText());
    ObjectNode ack = ack(messages.get(0), 1).put("status", "failed").put("error", "poison");
    body.set("ack", ack);
    JsonNode answer = cycle(body);
    assertThat(answer.get("success").asBoolean()).as("%s", answer).isTrue();
    assertThat(answer.get("ack_result").get("dlq").asBoolean()).isTrue();
    assertThat(answer.get("ack_result").get("lease_released").asBoolean()).isTrue();

    JsonNode dlq = server.get("/api/v1/dlq?queue=src").body();
    assertThat(dlq.toString()).contains("m1").contains("poison").doesNotContain("\"m2\"");
    assertThat(Api.ids(popGroup("src"))).containsExactly("m2");
  }

  @Test
  void releaseLeaseFalseKeepsTheLeaseAndTheCursorNeverMovesBack() {
    String id = queryId("gate");
    api.push("src", "p", "m1", "m2", "m3");
    JsonNode messages = popGroup("src").get("messages");
    String partition = messages.get(0).get("partitionId").asText();

    ObjectNode partial = cycleBody(id, partition).put("release_lease", false);
    partial.set("ack", ack(messages.get(2), 3));
    JsonNode kept = cycle(partial);
    assertThat(kept.get("ack_result").get("lease_released").asBoolean()).as("%s", kept).isFalse();
    assertThat(popGroup("src").get("messages")).as("the lease is still held").isEmpty();

    // acking an earlier message with the same (still live) lease: accepted, but the cursor stays on m3
    ObjectNode behind = cycleBody(id, partition);
    behind.set("ack", ack(messages.get(0), 1));
    JsonNode released = cycle(behind);
    assertThat(released.get("success").asBoolean()).as("%s", released).isTrue();
    assertThat(released.get("ack_result").get("lease_released").asBoolean()).isTrue();
    assertThat(popGroup("src").get("messages")).as("nothing before the cursor comes back").isEmpty();
    api.push("src", "p", "m4");
    assertThat(Api.ids(popGroup("src"))).containsExactly("m4");
  }

  @Test
  void aRepeatedSinkTransactionIdIsAnsweredDuplicate() {
    String id = queryId("dup");
    String partition = api.push("src", "p", "m1");
    ObjectNode body = cycleBody(id, partition);
    ArrayNode items = body.putArray("push_items");
    items.addObject().put("queue", "out").put("partition", "p").put("transactionId", "o1");
    assertThat(cycle(body).get("push_results").get(0).get("status").asText()).isEqualTo("queued");
    JsonNode again = cycle(body);
    assertThat(again.get("success").asBoolean()).isTrue();
    assertThat(again.get("push_results").get(0).get("status").asText()).isEqualTo("duplicate");
    assertThat(api.pop("out", "batch=10").get("messages")).hasSize(1);
  }

  @Test
  void aCommittedCycleWakesALongPollOnTheSink() throws Exception {
    String id = queryId("wake");
    String partition = api.push("src", "p", "m1");
    api.push("out", "p", "o0");
    api.consumeAll("out", "sinkreader");
    var parked = server.getAsync("/api/v1/pop/queue/out?consumerGroup=sinkreader&wait=true&timeout=20000");
    Api.eventually(Duration.ofSeconds(5), () -> server.get("/metrics/prometheus").body().asText()
        .contains("queen_http_long_polls_parked 1.0"));
    ObjectNode body = cycleBody(id, partition);
    body.set("push_items", sink("out", "woken"));
    long committed = System.nanoTime();
    cycle(body);
    Reply reply = parked.get(10, java.util.concurrent.TimeUnit.SECONDS);
    // the recheck timer alone would take 1000 ms
    assertThat((System.nanoTime() - committed) / 1_000_000).as("wake-up latency").isLessThan(500);
    assertThat(reply.body().get("messages").get(0).get("data").get("n").asText()).isEqualTo("woken");
  }

  @Test
  void badInputIsA400WithTheSpecsMessages() {
    assertError(server.post("/streams/v1/queries", ""), "Empty request body");
    assertThat(server.post("/streams/v1/cycle", "{nope").body().get("error").asText()).startsWith("Invalid JSON: ");
    assertError(server.post("/streams/v1/state/get", "[1]"), "request body must be a JSON object");
    assertError(server.post("/streams/v1/queries", "{\"source_queue\":\"s\",\"config_hash\":\"h\"}"),
        "name is required");
    assertError(server.post("/streams/v1/queries", "{\"name\":\"n\",\"config_hash\":\"h\"}"),
        "source_queue is required");
    assertError(server.post("/streams/v1/queries", "{\"name\":\"n\",\"source_queue\":\"s\",\"config_hash\":7}"),
        "config_hash is required");
    assertError(server.post("/streams/v1/queries",
        "{\"name\":\"n\",\"source_queue\":\"s\",\"config_hash\":\"h\",\"reset\":\"yes\"}"), "reset must be a boolean");
    assertError(server.post("/streams/v1/state/get", "{\"partition_id\":\"" + UUID.randomUUID() + "\"}"),
        "query_id is required");
    assertError(server.post("/streams/v1/state/get",
        "{\"query_id\":\"x\",\"partition_id\":\"" + UUID.randomUUID() + "\"}"), "query_id must be a UUID");
    assertError(server.post("/streams/v1/state/get",
        "{\"query_id\":\"" + UUID.randomUUID() + "\",\"partition_id\":\"y\"}"), "partition_id must be a UUID");
    String ids = "\"query_id\":\"" + UUID.randomUUID() + "\",\"partition_id\":\"" + UUID.randomUUID() + "\"";
    assertError(server.post("/streams/v1/cycle", "{\"partition_id\":\"p\"}"), "query_id is required");
    assertError(server.post("/streams/v1/cycle", "{" + ids + ",\"release_lease\":\"no\"}"),
        "release_lease must be a boolean");
    assertError(server.post("/streams/v1/cycle", "{" + ids + ",\"state_ops\":{}}"), "state_ops must be an array");
    assertError(server.post("/streams/v1/cycle", "{" + ids + ",\"ack\":{\"status\":\"completed\"}}"),
        "transactionId is required");
    assertError(server.post("/streams/v1/cycle", "{" + ids + ",\"ack\":{\"transactionId\":\"t\",\"count\":1.5}}"),
        "count must be a non-negative integer");
    assertThat(server.post("/streams/v1/cycle", "{" + ids + ",\"push_items\":[{\"payload\":{}}]}").status())
        .isEqualTo(400);
    // null state_ops / push_items are empty lists (the Go SDK sends null): an unknown query then fails, not a 400
    assertThat(server.post("/streams/v1/cycle", "{" + ids + ",\"state_ops\":null,\"push_items\":null}").body()
        .get("error").asText()).isEqualTo("Unknown query_id");
    Reply get = server.get("/streams/v1/cycle");
    assertThat(get.status()).isEqualTo(404);
    assertThat(get.body().get("error").asText()).isEqualTo("Not found");
  }

  @Test
  void stateSurvivesARestart() {
    String id = queryId("restart");
    String partition = api.push("src", "p", "m1");
    cycle(cycleBody(id, partition).set("state_ops", ops(upsert("__wm__", "{\"eventTimeMs\":42}"))));
    // a second server over the same database, as after a restart (or another instance)
    try (TestServer restarted = TestServer.start()) {
      Reply again = restarted.post("/streams/v1/queries",
          "{\"name\":\"restart\",\"source_queue\":\"src\",\"sink_queue\":\"out\",\"config_hash\":\"h\"}");
      assertThat(again.body().get("fresh").asBoolean()).isFalse();
      assertThat(again.body().get("query_id").asText()).isEqualTo(id);
      JsonNode rows = restarted.post("/streams/v1/state/get",
          "{\"query_id\":\"" + id + "\",\"partition_id\":\"" + partition + "\"}").body().get("rows");
      assertThat(rows.get(0).get("value").get("eventTimeMs").asInt()).isEqualTo(42);
    }
  }

  @Test
  void deletingTheSourceQueueDropsTheStateOfItsPartitionsButNotTheQuery() {
    String id = queryId("doomed");
    String partition = api.push("src", "p", "m1");
    String other = api.push("elsewhere", "p", "m1");
    cycle(cycleBody(id, partition).set("state_ops", ops(upsert("k", "1"))));
    cycle(cycleBody(id, other).set("state_ops", ops(upsert("k", "2"))));
    assertThat(server.delete("/api/v1/resources/queues/src").status()).isEqualTo(200);
    assertThat(stateKeys(id, partition, "{}")).isEmpty();
    assertThat(stateKeys(id, other, "{}")).containsExactly("k");
    assertThat(queryId("doomed")).isEqualTo(id);
  }

  // ---- helpers

  private double counter(String name) {
    for (String line : server.get("/metrics/prometheus").body().asText().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1));
      }
    }
    return 0;
  }

  private Reply register(String name, String hash, boolean reset) {
    return server.post("/streams/v1/queries", "{\"name\":\"" + name + "\",\"source_queue\":\"orders\","
        + "\"sink_queue\":\"totals\",\"config_hash\":\"" + hash + "\",\"reset\":" + reset + "}");
  }

  private String queryId(String name) {
    Reply reply = server.post("/streams/v1/queries",
        "{\"name\":\"" + name + "\",\"source_queue\":\"src\",\"sink_queue\":\"out\",\"config_hash\":\"h\"}");
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
    return reply.body().get("query_id").asText();
  }

  private JsonNode popGroup(String queue) {
    return api.pop(queue, "batch=10&consumerGroup=" + GROUP);
  }

  private static ObjectNode cycleBody(String queryId, String partitionId) {
    return MAPPER.createObjectNode().put("query_id", queryId).put("partition_id", partitionId)
        .put("consumer_group", GROUP);
  }

  /** A cycle with a state upsert, a sink push and an ack of {@code message} covering {@code count}. */
  private static ObjectNode fullCycle(String queryId, JsonNode message, int count) {
    ObjectNode body = cycleBody(queryId, message.get("partitionId").asText());
    body.set("state_ops", ops(upsert("k", "{\"acc\":1}")));
    body.set("push_items", sink("out", "r"));
    body.set("ack", ack(message, count));
    return body;
  }

  private static ObjectNode ack(JsonNode message, int count) {
    return MAPPER.createObjectNode().put("transactionId", message.get("transactionId").asText())
        .put("leaseId", message.get("leaseId").asText()).put("status", "completed").put("count", count);
  }

  private static ArrayNode sink(String queue, String... values) {
    ArrayNode items = MAPPER.createArrayNode();
    for (String value : values) {
      items.addObject().put("queue", queue).put("partition", "p").putObject("payload").put("n", value);
    }
    return items;
  }

  private static ArrayNode ops(ObjectNode... ops) {
    ArrayNode list = MAPPER.createArrayNode();
    for (ObjectNode op : ops) {
      list.add(op);
    }
    return list;
  }

  private static ObjectNode upsert(String key, String valueJson) {
    return MAPPER.createObjectNode().put("type", "upsert").put("key", key).set("value", TestServer.json(valueJson));
  }

  private static ObjectNode delete(String key) {
    return MAPPER.createObjectNode().put("type", "delete").put("key", key);
  }

  private JsonNode cycle(JsonNode body) {
    Reply reply = server.post("/streams/v1/cycle", body);
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
    return reply.body();
  }

  private JsonNode stateGet(String queryId, String partitionId, String filtersJson) {
    ObjectNode body = (ObjectNode) TestServer.json(filtersJson);
    body.put("query_id", queryId).put("partition_id", partitionId);
    Reply reply = server.post("/streams/v1/state/get", body);
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
    return reply.body();
  }

  private List<String> stateKeys(String queryId, String partitionId, String filtersJson) {
    List<String> keys = new ArrayList<>();
    stateGet(queryId, partitionId, filtersJson).get("rows").forEach(row -> keys.add(row.get("key").asText()));
    return keys;
  }

  private static void assertFailedCleanly(JsonNode answer, String error) {
    assertThat(answer.get("success").asBoolean()).as("%s", answer).isFalse();
    assertThat(answer.get("error").asText()).isEqualTo(error);
    assertThat(answer.get("state_ops_applied").asInt()).isZero();
    assertThat(answer.get("push_results")).isEmpty();
    assertThat(answer.get("ack_result").isNull()).isTrue();
  }

  private static void assertError(Reply reply, String error) {
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(400);
    assertThat(reply.body().get("error").asText()).isEqualTo(error);
  }
}
