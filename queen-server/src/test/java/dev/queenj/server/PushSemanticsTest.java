package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Push semantics: dedup (also under concurrency), FIFO per partition, group commit correctness. */
@ExtendWith(RunningServer.class)
class PushSemanticsTest {
  private final TestServer server;
  private final Api api;

  PushSemanticsTest(TestServer server, Api api) {
    this.server = server;
    this.api = api;
  }

  @Test
  void repeatedTransactionIdIsADuplicateOfTheStoredMessage() {
    Reply first = server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"partition\":\"p\",\"transactionId\":\"t1\",\"payload\":{\"id\":\"t1\"}}]}");
    Reply again = server.post("/api/v1/push", """
        {"items":[{"queue":"q","partition":"p","transactionId":"t1","payload":{"other":true}},
                  {"queue":"q","partition":"p","transactionId":"t2"},
                  {"queue":"q","partition":"p","transactionId":"t2"}]}""");

    assertThat(again.body().get(0).get("status").asText()).isEqualTo("duplicate");
    assertThat(again.body().get(0).get("message_id")).isEqualTo(first.body().get(0).get("message_id"));
    assertThat(again.body().get(1).get("status").asText()).isEqualTo("queued");
    assertThat(again.body().get(2).get("status").asText()).isEqualTo("duplicate");
    assertThat(again.body().get(2).get("message_id")).isEqualTo(again.body().get(1).get("message_id"));
    JsonNode popped = api.pop("q?batch=10");
    assertThat(Api.ids(popped)).containsExactly("t1", "t2");
    assertThat(popped.get("messages").get(0).get("data").get("id").asText()).isEqualTo("t1");
  }

  @Test
  void theSameTransactionIdInAnotherPartitionIsNotADuplicate() {
    api.push("q", "a", "t1");
    Reply other = server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"partition\":\"b\",\"transactionId\":\"t1\"}]}");
    assertThat(other.body().get(0).get("status").asText()).isEqualTo("queued");
  }

  @Test
  void concurrentPushesOfOneTransactionIdStoreExactlyOneMessage() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        String txn = "race-" + round;
        List<CompletableFuture<Reply>> pushes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          pushes.add(CompletableFuture.supplyAsync(() -> server.post("/api/v1/push",
              "{\"items\":[{\"queue\":\"race\",\"partition\":\"p\",\"transactionId\":\"" + txn + "\"}]}"), pool));
        }
        Set<String> messageIds = new HashSet<>();
        int queued = 0;
        for (CompletableFuture<Reply> push : pushes) {
          Reply reply = push.get();
          assertThat(reply.status()).isEqualTo(200);
          messageIds.add(reply.body().get(0).get("message_id").asText());
          queued += reply.body().get(0).get("status").asText().equals("queued") ? 1 : 0;
        }
        assertThat(queued).as("round %d", round).isEqualTo(1);
        assertThat(messageIds).as("every answer names the stored message").hasSize(1);
      }
    } finally {
      pool.shutdown();
    }
    assertThat(Api.ids(api.pop("race?batch=100"))).containsExactly("race-0", "race-1", "race-2", "race-3",
        "race-4");
  }

  @Test
  void messagesOfAPartitionPopInPushOrderAcrossConcurrentPushers() throws Exception {
    // Concurrent pushers into different partitions are merged by group commit; each partition stays FIFO.
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<CompletableFuture<Void>> pushers = new ArrayList<>();
      for (int p = 0; p < 6; p++) {
        String partition = "p" + p;
        pushers.add(CompletableFuture.runAsync(() -> IntStream.range(0, 20)
            .forEach(i -> api.push("fifo", partition, partition + "-" + i)), pool));
      }
      CompletableFuture.allOf(pushers.toArray(new CompletableFuture[0])).get();
    } finally {
      pool.shutdown();
    }
    for (int p = 0; p < 6; p++) {
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        expected.add("p" + p + "-" + i);
      }
      assertThat(Api.ids(api.pop("fifo/partition/p" + p + "?batch=100"))).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void theFirstPushCreatesTheQueueWithNamespaceTaskAndDefaultOptions() {
    api.push("billing.invoice.v2", "customer-7", "t1");
    JsonNode queue = server.get("/api/v1/resources/queues/billing.invoice.v2").body();
    assertThat(queue.get("namespace").asText()).isEqualTo("billing");
    assertThat(queue.get("task").asText()).isEqualTo("invoice");
    assertThat(queue.get("partitions")).hasSize(1);
    assertThat(queue.get("partitions").get(0).get("name").asText()).isEqualTo("customer-7");
    // default options: leaseTime 300 s and retryLimit 3 apply to the auto-created queue
    JsonNode popped = api.pop("billing.invoice.v2");
    assertThat(popped.get("messages")).hasSize(1);
    JsonNode plain = server.get("/api/v1/resources/queues/orders").body();
    assertThat(plain.get("error").asText()).isEqualTo("Queue not found");
    api.push("orders", "p", "t1");
    plain = server.get("/api/v1/resources/queues/orders").body();
    assertThat(plain.get("namespace").asText()).isEqualTo("orders");
    assertThat(plain.get("task").asText()).isEmpty();
  }

  @Test
  void emptyItemsAnswer201WithAnEmptyArray() {
    Reply reply = server.post("/api/v1/push", "{\"items\":[]}");
    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.body()).isEmpty();
  }

  @Test
  void pushWithoutPartitionGoesToDefaultAndWithoutTransactionIdGetsOne() {
    Reply reply = server.post("/api/v1/push", "{\"items\":[{\"queue\":\"q\",\"payload\":\"text\"}]}");
    assertThat(reply.body().get(0).get("transaction_id").asText()).isNotEmpty();
    JsonNode popped = api.pop("q/partition/Default");
    assertThat(popped.get("messages").get(0).get("data").asText()).isEqualTo("text");
    assertThat(popped.get("messages").get(0).get("transactionId").asText())
        .isEqualTo(reply.body().get(0).get("transaction_id").asText());
  }
}
