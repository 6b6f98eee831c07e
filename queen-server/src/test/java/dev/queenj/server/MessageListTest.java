package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /messages} with its filters and paging, and the namespace and task listings. */
@ExtendWith(RunningServer.class)
class MessageListTest {
  private final TestServer server;
  private final Api client;

  MessageListTest(TestServer server, Api client) {
    this.server = server;
    this.client = client;
  }

  @Test
  void listsMessagesNewestFirstWithoutPayloads() {
    // given
    client.push("billing.invoice.list", "p1", "t1", "t2");
    client.push("billing.invoice.list", "p2", "t3");
    client.push("other", "p1", "o1");

    // when
    JsonNode all = server.get("/api/v1/messages").body();
    JsonNode queue = server.get("/api/v1/messages?queue=billing.invoice.list").body();

    // then
    assertThat(Api.ids(all)).containsExactly("o1", "t3", "t2", "t1");
    assertThat(Api.ids(queue)).containsExactly("t3", "t2", "t1");
    JsonNode m = queue.get("messages").get(0);
    assertThat(m.get("queue").asText()).isEqualTo("billing.invoice.list");
    assertThat(m.get("partition").asText()).isEqualTo("p2");
    assertThat(m.get("namespace").asText()).isEqualTo("billing");
    assertThat(m.get("task").asText()).isEqualTo("invoice");
    assertThat(m.get("status").asText()).isEqualTo("pending");
    assertThat(m.get("createdAt").asText()).endsWith("Z");
    assertThat(m.has("id") && m.has("partitionId") && m.has("traceId")).isTrue();
    assertThat(m.has("data") || m.has("payload")).isFalse();
    assertThat(queue.get("pagination").get("limit").asInt()).isEqualTo(200);
    assertThat(queue.get("pagination").get("hasMore").asBoolean()).isFalse();
  }

  @Test
  void filtersByPartitionNamespaceTaskAndTime() {
    client.push("shop.orders.a", "p1", "a1");
    client.push("shop.refunds.b", "p1", "b1");
    String between = Api.timeBetweenPushes();
    client.push("shop.orders.a", "p2", "a2");
    client.push("misc", "p1", "m1");

    assertThat(Api.ids(server.get("/api/v1/messages?partition=p1").body()))
        .containsExactly("m1", "b1", "a1");
    assertThat(Api.ids(server.get("/api/v1/messages?queue=shop.orders.a&partition=p2").body()))
        .containsExactly("a2");
    assertThat(Api.ids(server.get("/api/v1/messages?ns=shop").body())).containsExactly("a2", "b1", "a1");
    assertThat(Api.ids(server.get("/api/v1/messages?task=orders").body())).containsExactly("a2", "a1");
    assertThat(Api.ids(server.get("/api/v1/messages?ns=shop&partition=p1").body()))
        .containsExactly("b1", "a1");
    assertThat(Api.ids(server.get("/api/v1/messages?from=" + Api.encode(between)).body()))
        .containsExactly("m1", "a2");
    assertThat(Api.ids(server.get("/api/v1/messages?to=" + Api.encode(between)).body()))
        .containsExactly("b1", "a1");
    assertThat(Api.ids(server.get("/api/v1/messages?queue=nope").body())).isEmpty();
  }

  @Test
  void statusIsQueueModesAsInQueenOrOneGroupsOrOverall() {
    // given: queue mode consumed t1, holds t2 leased; t3 went to the DLQ of g1; t4 untouched by anyone
    client.push("status-q", "p1", "t1");
    client.consumeAll("status-q", "__QUEUE_MODE__");
    client.push("status-q", "p1", "t2");
    client.pop("status-q", "batch=1");
    client.push("status-q", "p2", "t3");
    client.ackAll(client.popPartition("status-q", "p2", "batch=1&consumerGroup=g1"), "g1", "dlq");
    client.push("status-q", "p3", "t4");

    // then: by default where each stands for queue mode, as Queen's listing says
    assertThat(statuses("")).containsExactly("t4=pending", "t3=pending", "t2=processing", "t1=completed");
    assertThat(statuses("&consumerGroup=g1")).containsExactly("t4=pending", "t3=dead_letter", "t2=pending",
        "t1=pending");
    assertThat(statuses("&consumerGroup=*"))
        .containsExactly("t4=pending", "t3=dead_letter", "t2=processing", "t1=completed");
    assertThat(statuses("&status=pending")).containsExactly("t4=pending", "t3=pending");
    assertThat(statuses("&status=completed")).containsExactly("t1=completed");
    assertThat(statuses("&status=processing")).containsExactly("t2=processing");
    assertThat(statuses("&status=dead_letter")).isEmpty();
    assertThat(statuses("&status=dead_letter&consumerGroup=*")).containsExactly("t3=dead_letter");
    assertThat(statuses("&status=pending&consumerGroup=*")).containsExactly("t4=pending");
    assertThat(server.get("/api/v1/messages?queue=status-q").body().get("consumerGroup").asText())
        .isEqualTo("__QUEUE_MODE__");
    assertThat(server.get("/api/v1/messages?queue=status-q&consumerGroup=*").body().get("consumerGroup").asText())
        .isEqualTo("*");
  }

  @Test
  void pagesDoNotOverlapAndSayWhetherMoreFollow() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add("t" + i);
    }
    client.push("paged", "p1", ids.toArray(String[]::new));

    JsonNode first = server.get("/api/v1/messages?queue=paged&limit=3").body();
    JsonNode second = server.get("/api/v1/messages?queue=paged&limit=3&offset=3").body();
    JsonNode last = server.get("/api/v1/messages?queue=paged&limit=3&offset=6").body();

    assertThat(Api.ids(first)).containsExactly("t6", "t5", "t4");
    assertThat(first.get("pagination").get("hasMore").asBoolean()).isTrue();
    assertThat(Api.ids(second)).containsExactly("t3", "t2", "t1");
    assertThat(second.get("pagination").get("offset").asInt()).isEqualTo(3);
    assertThat(Api.ids(last)).containsExactly("t0");
    assertThat(last.get("pagination").get("hasMore").asBoolean()).isFalse();
  }

  @Test
  void badParametersAre400() {
    assertBad("/api/v1/messages?limit=0", "limit");
    assertBad("/api/v1/messages?limit=1001", "limit");
    assertBad("/api/v1/messages?limit=ten", "limit");
    assertBad("/api/v1/messages?offset=-1", "offset");
    assertBad("/api/v1/messages?offset=10001", "offset");
    assertBad("/api/v1/messages?status=done", "status");
    assertBad("/api/v1/messages?from=yesterday", "from");
    assertBad("/api/v1/messages?to=2024-13-01T00:00:00Z", "to");
    assertBad("/api/v1/messages?from=2024-01-02T00:00:00Z&to=2024-01-01T00:00:00Z", "from");
  }

  @Test
  void namespacesAndTasksSumTheirQueues() {
    client.push("acme.orders.eu", "p1", "a", "b");
    client.push("acme.orders.us", "p1", "c");
    client.push("acme.orders.us", "p2", "d");
    client.push("acme.billing", "p1", "e");
    client.push("plain", "p1", "f");
    client.consumeAll("acme.billing", "__QUEUE_MODE__");

    JsonNode namespaces = server.get("/api/v1/resources/namespaces").body().get("namespaces");
    JsonNode tasks = server.get("/api/v1/resources/tasks").body().get("tasks");

    assertThat(namespaces).hasSize(2);
    JsonNode acme = namespaces.get(0);
    assertThat(acme.get("namespace").asText()).isEqualTo("acme");
    assertThat(acme.get("queues").asInt()).isEqualTo(3);
    assertThat(acme.get("partitions").asInt()).isEqualTo(4);
    assertThat(acme.get("messages").get("total").asInt()).isEqualTo(5);
    assertThat(acme.get("messages").get("pending").asInt()).isEqualTo(4);
    assertThat(namespaces.get(1).get("namespace").asText()).isEqualTo("plain");
    assertThat(tasks).hasSize(2);
    assertThat(tasks.get(0).get("task").asText()).isEqualTo("billing");
    assertThat(tasks.get(0).get("messages").get("total").asInt()).isEqualTo(1);
    assertThat(tasks.get(0).get("messages").get("pending").asInt()).isZero();
    assertThat(tasks.get(1).get("task").asText()).isEqualTo("orders");
    assertThat(tasks.get(1).get("queues").asInt()).isEqualTo(2);
    assertThat(tasks.get(1).get("messages").get("total").asInt()).isEqualTo(4);
  }

  private List<String> statuses(String query) {
    List<String> out = new ArrayList<>();
    server.get("/api/v1/messages?queue=status-q" + query).body().get("messages")
        .forEach(m -> out.add(m.get("transactionId").asText() + "=" + m.get("status").asText()));
    return out;
  }


  private void assertBad(String path, String mentioning) {
    Api.assertBadRequest(server.get(path), mentioning);
  }
}
