package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many consumers of one group racing over many partitions: no errors, no message twice, none lost. */
@ExtendWith(RunningServer.class)
class ConcurrentConsumersTest {
  private final TestServer server;
  private final Api api;

  ConcurrentConsumersTest(TestServer server, Api api) {
    this.server = server;
    this.api = api;
  }

  @Test
  void racingConsumersShareThePartitionsWithoutDeadlocksOrDoubleDelivery() throws Exception {
    int partitions = 60;
    int perPartition = 5;
    StringBuilder items = new StringBuilder("{\"items\":[");
    for (int p = 0; p < partitions; p++) {
      for (int i = 0; i < perPartition; i++) {
        items.append(String.format("{\"queue\":\"race\",\"partition\":\"p%d\",\"transactionId\":\"p%d-%d\"},", p, p, i));
      }
    }
    items.setLength(items.length() - 1);
    assertThat(server.post("/api/v1/push", items.append("]}").toString()).status()).isEqualTo(200);

    Set<String> delivered = ConcurrentHashMap.newKeySet();
    List<String> duplicates = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<CompletableFuture<Void>> consumers = new ArrayList<>();
      for (int c = 0; c < 12; c++) {
        consumers.add(CompletableFuture.runAsync(() -> {
          int emptyInARow = 0;
          while (emptyInARow < 3) {
            Reply reply = server.get("/api/v1/pop/queue/race?batch=3&partitions=2");
            assertThat(reply.status()).as("pop answer %s", reply.body()).isEqualTo(200);
            JsonNode messages = reply.body().get("messages");
            if (messages.isEmpty()) {
              emptyInARow++;
              continue;
            }
            emptyInARow = 0;
            for (JsonNode m : messages) {
              if (!delivered.add(m.get("transactionId").asText())) {
                synchronized (duplicates) {
                  duplicates.add(m.get("transactionId").asText());
                }
              }
            }
            JsonNode acks = api.ackAll(reply.body(), "completed");
            acks.forEach(ack -> assertThat(ack.get("success").asBoolean()).as("%s", ack).isTrue());
          }
        }, pool));
      }
      CompletableFuture.allOf(consumers.toArray(new CompletableFuture[0])).get();
    } finally {
      pool.shutdown();
    }
    assertThat(duplicates).isEmpty();
    Set<String> expected = new HashSet<>();
    for (int p = 0; p < partitions; p++) {
      for (int i = 0; i < perPartition; i++) {
        expected.add("p" + p + "-" + i);
      }
    }
    assertThat(delivered).isEqualTo(expected);
  }
}
