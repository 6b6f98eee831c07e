package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClients.push;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.tools.DeleteRecordsCommand;
import org.apache.kafka.tools.LeaderElectionCommand;
import org.apache.kafka.tools.LogDirsCommand;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.apache.kafka.tools.reassign.ReassignPartitionsCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's admin command-line tools, in-process, against the server: {@code kafka-consumer-groups --delete-offsets},
 * {@code kafka-delete-records}, {@code kafka-log-dirs --describe}, {@code kafka-leader-election} and
 * {@code kafka-reassign-partitions}.
 */
@ExtendWith(RunningServer.class)
class KafkaAdminCommandsTest {
  private static final int WAIT_SECONDS = 30;
  private final TestServer server;

  KafkaAdminCommandsTest(TestServer server) {
    this.server = server;
  }

  @Test
  void consumerGroupsDeleteOffsetsForgetsAPartitionsOffset() throws Exception {
    push(server, "cli-orders", "c");
    TopicPartition p0 = new TopicPartition("cli-orders", 0);
    TopicPartition p1 = new TopicPartition("cli-orders", 1);
    try (Admin admin = KafkaClients.admin(server)) {
      admin.alterConsumerGroupOffsets("cli-group", Map.of(p0, new OffsetAndMetadata(3), p1,
          new OffsetAndMetadata(4))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      KafkaCli.Result deleted = KafkaCli.tool(server, ConsumerGroupCommand::main, "--delete-offsets",
          "--group", "cli-group", "--topic", "cli-orders:0");

      assertThat(deleted.status()).as("%s", deleted).isZero();
      assertThat(deleted.out()).contains("Request succeeded for deleting offsets from group cli-group.")
          .containsPattern("cli-orders +0 +Successful");
      assertThat(admin.listConsumerGroupOffsets("cli-group").partitionsToOffsetAndMetadata()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)).containsOnlyKeys(p1);
    }
  }

  @Test
  void deleteRecordsMovesTheLogStart(@TempDir Path dir) throws Exception {
    TopicPartition p0 = new TopicPartition("cli-trimmed", 0);
    try (Admin admin = KafkaClients.admin(server);
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      admin.createTopics(List.of(new NewTopic("cli-trimmed", 1, (short) 1))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>("cli-trimmed", 0, null, new byte[] {(byte) i}))
            .get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
      Path offsets = Files.writeString(dir.resolve("offsets.json"),
          "{\"partitions\":[{\"topic\":\"cli-trimmed\",\"partition\":0,\"offset\":3}],\"version\":1}");

      KafkaCli.Result trimmed = KafkaCli.tool(server, KafkaAdminCommandsTest::deleteRecords, "--offset-json-file",
          offsets.toString());

      assertThat(trimmed.status()).as("%s", trimmed).isZero();
      assertThat(trimmed.out()).contains("partition: cli-trimmed-0\tlow_watermark: 3");
      assertThat(admin.listOffsets(Map.of(p0, OffsetSpec.earliest())).partitionResult(p0)
          .get(WAIT_SECONDS, TimeUnit.SECONDS).offset()).isEqualTo(3);
    }
  }

  @Test
  void logDirsDescribeShowsThePartitionsAndTheirSizes() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      producer.send(new ProducerRecord<>("cli-sized", 0, null, new byte[84])).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    KafkaCli.Result described = KafkaCli.tool(server, LogDirsCommand::main, "--describe", "--topic-list",
        "cli-sized");

    assertThat(described.status()).as("%s", described).isZero();
    assertThat(described.out()).contains("\"logDir\":\"postgresql:").contains("\"partition\":\"cli-sized-0\"")
        .contains("\"size\":100,\"offsetLag\":0,\"isFuture\":false");
  }

  @Test
  void leaderElectionFindsNothingToElect() {
    push(server, "cli-led", "c");

    KafkaCli.Result elected = KafkaCli.tool(server, LeaderElectionCommand::main, "--election-type", "preferred",
        "--topic", "cli-led", "--partition", "0");

    assertThat(elected.status()).as("%s", elected).isZero();
    assertThat(elected.out()).contains("Valid replica already elected for partitions cli-led-0");
  }

  @Test
  void reassignPartitionsToThisNodeExecutesAndVerifies(@TempDir Path dir) throws Exception {
    push(server, "cli-moved", "c");
    Path plan = Files.writeString(dir.resolve("plan.json"),
        "{\"version\":1,\"partitions\":[{\"topic\":\"cli-moved\",\"partition\":0,\"replicas\":[0]}]}");

    KafkaCli.Result executed = KafkaCli.tool(server, ReassignPartitionsCommand::main, "--execute",
        "--reassignment-json-file", plan.toString());
    KafkaCli.Result verified = KafkaCli.tool(server, ReassignPartitionsCommand::main, "--verify",
        "--reassignment-json-file", plan.toString());

    assertThat(executed.status()).as("%s", executed).isZero();
    assertThat(executed.out()).contains("Successfully started partition reassignment for cli-moved-0");
    assertThat(verified.status()).as("%s", verified).isZero();
    assertThat(verified.out()).contains("Reassignment of partition cli-moved-0 is completed.");
  }

  /** {@code kafka-delete-records}, whose {@code main} declares Exception; the exit KafkaCli throws passes through. */
  private static void deleteRecords(String[] args) {
    try {
      DeleteRecordsCommand.main(args);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
