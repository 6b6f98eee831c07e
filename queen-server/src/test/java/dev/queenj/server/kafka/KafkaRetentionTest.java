package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClients.popIds;
import static dev.queenj.server.kafka.KafkaClients.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.core.retention.RetentionService;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka retention with real clients: DeleteRecords and {@code retention.ms} move the log start, ListOffsets earliest
 * answers it, a fetch below it is OFFSET_OUT_OF_RANGE so consumers reset by {@code auto.offset.reset}, and the native
 * view agrees. Retention cycles are run directly, by a service over the same database.
 */
@ExtendWith(RunningServer.class)
class KafkaRetentionTest {
  private static final int WAIT_SECONDS = 30;
  /** Reads what retention left, straight from the tables. */
  @RegisterExtension
  static final TestDatabase DB = new TestDatabase(2);
  private final TestServer server;

  KafkaRetentionTest(TestServer server) {
    this.server = server;
  }

  @Test
  void deleteRecordsMovesTheLogStartAndConsumersBelowItResetByTheirPolicy() throws Exception {
    // given ten records in one partition
    TopicPartition p0 = new TopicPartition("trimmed", 0);
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("trimmed", 1, (short) 1))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      produce("trimmed", 10);

      // when records before offset 4 are deleted
      long low = admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(4))).lowWatermarks().get(p0)
          .get(WAIT_SECONDS, TimeUnit.SECONDS).lowWatermark();

      // then the low watermark and ListOffsets earliest are 4, at once
      assertThat(low).isEqualTo(4);
      assertThat(KafkaClients.offset(admin, p0, OffsetSpec.earliest())).isEqualTo(4);
      assertThat(KafkaClients.offset(admin, p0, OffsetSpec.latest())).isEqualTo(10);
      // and an offset past the high watermark is refused, a lower one leaves the start where it is
      assertThatThrownBy(() -> admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(11))).all()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(org.apache.kafka.common.errors.OffsetOutOfRangeException.class);
      assertThat(admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(2))).lowWatermarks().get(p0)
          .get(WAIT_SECONDS, TimeUnit.SECONDS).lowWatermark()).isEqualTo(4);
    }
    // and a consumer seeking below the start resets to it (earliest) or is told it is out of range (none)
    assertThat(offsetsFrom("trimmed", 0, "earliest", 6)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server,
        Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
      consumer.assign(List.of(p0));
      consumer.seek(p0, 1);
      assertThatThrownBy(() -> {
        for (int i = 0; i < 50; i++) {
          consumer.poll(Duration.ofMillis(200));
        }
      }).isInstanceOf(OffsetOutOfRangeException.class);
    }
    // and the rows below are deleted soon after, so the native view starts at the same record
    Eventually.until(Duration.ofSeconds(WAIT_SECONDS), () -> storedBelow("trimmed", 4) == 0,
        () -> storedBelow("trimmed", 4) + " rows below the log start");
  }

  @Test
  void retentionMsExpiresRecordsAndConsumersResetPastThem() throws Exception {
    // given a topic keeping records one second, and a native consumer of the same messages
    TopicPartition p0 = new TopicPartition("fleeting", 0);
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("fleeting", 1, (short) 1).configs(Map.of("retention.ms", "1000"))))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      push(server, "fleeting", "chat", "m1", "m2", "m3");

      // when retention cycles run until the records are older than a second
      RetentionService retention = new RetentionService(DB.database(), RetentionConfig.DEFAULTS);
      Eventually.until(Duration.ofSeconds(WAIT_SECONDS), () -> {
        TestPostgres.await(retention.runRetention());
        return KafkaClients.offset(admin, p0, OffsetSpec.earliest()) == 3;
      }, () -> "log start still " + KafkaClients.offset(admin, p0, OffsetSpec.earliest()));

      // then nothing is stored below the start, natively nothing is left to pop
      assertThat(storedBelow("fleeting", 3)).isZero();
      assertThat(popIds(server, "fleeting", "chat")).isEmpty();
      // and a record produced afterwards is what a consumer from the beginning reads, from either view
      push(server, "fleeting", "chat", "m4");
      assertThat(offsetsFrom("fleeting", 0, "earliest", 1)).containsExactly(3L);
      assertThat(popIds(server, "fleeting", "chat")).containsExactly("m4");
    }
  }

  private void produce(String topic, int n) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      for (int i = 0; i < n; i++) {
        producer.send(new ProducerRecord<>(topic, 0, null, ("v" + i).getBytes())).get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  /** The offsets a consumer seeking {@code from} reads with the given reset policy, until it has {@code n}. */
  private List<Long> offsetsFrom(String topic, long from, String reset, int n) {
    TopicPartition p0 = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server,
        Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset))) {
      consumer.assign(List.of(p0));
      consumer.seek(p0, from);
      List<Long> offsets = new ArrayList<>();
      Eventually.until(Duration.ofSeconds(WAIT_SECONDS), () -> {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          offsets.add(record.offset());
        }
        return offsets.size() >= n;
      }, () -> "read " + offsets);
      return offsets;
    }
  }

  private static long storedBelow(String queue, long offset) {
    return TestPostgres.await(DB.database().pool().preparedQuery("SELECT count(*) FROM messages m JOIN queues q "
            + "ON q.id = m.queue_id WHERE q.name = $1 AND m.log_offset < $2").execute(Tuple.of(queue, offset))
        .map(rows -> rows.iterator().next().getLong(0)));
  }
}
