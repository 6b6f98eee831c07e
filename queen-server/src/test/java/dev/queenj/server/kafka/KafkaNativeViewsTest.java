package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.pop.PopRequest;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One log, two views: what Kafka producers write is popped natively, what native pushes write is fetched. */
@ExtendWith(RunningServer.class)
class KafkaNativeViewsTest {
  private static final int WAIT_SECONDS = 30;
  private static final int PARTITIONS = 8;
  private final TestServer server;

  KafkaNativeViewsTest(TestServer server) {
    this.server = server;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private JsonNode pop(String queue, String partition) {
    TestServer.Reply reply = server.get("/api/v1/pop/queue/" + queue + "/partition/" + partition + "?batch=10");
    assertThat(reply.status()).as("pop answer %s", reply.body()).isEqualTo(200);
    return reply.body();
  }

  private void ackAll(JsonNode pop) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("consumerGroup", PopRequest.QUEUE_MODE);
    ArrayNode acks = body.putArray("acknowledgments");
    for (JsonNode m : pop.get("messages")) {
      acks.addObject().put("transactionId", m.get("transactionId").asText())
          .put("partitionId", m.get("partitionId").asText()).put("status", "completed");
    }
    TestServer.Reply reply = server.post("/api/v1/ack/batch", body);
    assertThat(reply.status()).as("ack answer %s", reply.body()).isEqualTo(200);
    assertThat(reply.body()).allSatisfy(r -> assertThat(r.get("success").asBoolean()).isTrue());
  }

  private static List<JsonNode> data(JsonNode pop) {
    List<JsonNode> data = new ArrayList<>();
    pop.get("messages").forEach(m -> data.add(m.get("data")));
    return data;
  }

  @Test
  void kafkaRecordsArePoppedNativelyPerKeyAndAcked() throws Exception {
    // given records keyed by conversation, one without a key in Kafka partition 3
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      producer.send(new ProducerRecord<>("xp", utf8("alice"), utf8("{\"x\":1}")));
      producer.send(new ProducerRecord<>("xp", utf8("bob"), utf8("[1,2]")));
      producer.send(new ProducerRecord<>("xp", utf8("alice"), utf8("hello")));
      producer.send(new ProducerRecord<>("xp", utf8("alice"), new byte[] {(byte) 0xff, 0}));
      producer.send(new ProducerRecord<>("xp", 3, null, utf8("{\"n\":null}"))).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    // when popped natively, then JSON values are JSON, text is a string, other bytes base64
    JsonNode alice = pop("xp", "alice");
    assertThat(data(alice)).extracting(JsonNode::toString)
        .containsExactly("{\"x\":1}", "\"hello\"", "\"/wA=\"");
    assertThat(data(pop("xp", "bob"))).extracting(JsonNode::toString).containsExactly("[1,2]");
    assertThat(data(pop("xp", "__kafka-partition-3"))).extracting(JsonNode::toString)
        .containsExactly("{\"n\":null}");

    // and shown the same way by the message detail
    JsonNode binary = alice.get("messages").get(2);
    TestServer.Reply detail = server.get("/api/v1/messages/" + binary.get("partitionId").asText() + "/"
        + binary.get("transactionId").asText());
    assertThat(detail.status()).as("detail %s", detail.body()).isEqualTo(200);
    assertThat(detail.body().get("data").asText()).isEqualTo("/wA=");

    // and acked like any message
    ackAll(alice);
    assertThat(pop("xp", "alice").get("messages")).isEmpty();
  }

  @Test
  void nativePushesAreFetchedWithThePartitionAsKeyInOrder() {
    // given
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      items.append(i == 0 ? "" : ",").append("{\"queue\":\"np\",\"partition\":\"p1\",\"payload\":{\"i\":")
          .append(i).append("}}");
    }
    TestServer.Reply pushed = server.post("/api/v1/push", "{\"items\":[" + items + "]}");
    assertThat(pushed.status()).isEqualTo(200);
    int kafkaPartition = Utils.toPositive(Utils.murmur2(utf8("p1"))) % PARTITIONS;

    // when
    List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server)) {
      TopicPartition tp = new TopicPartition("np", kafkaPartition);
      consumer.assign(List.of(tp));
      consumer.seek(tp, 0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (received.size() < 3 && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(received::add);
      }
    }

    // then
    assertThat(received).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactly("p1", "p1", "p1");
    assertThat(received).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .containsExactly("{\"i\":0}", "{\"i\":1}", "{\"i\":2}");
    assertThat(received).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L);
  }
}
