package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClients.push;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin calls about replicas and log directories, through a real Admin client: answered as a cluster of one node
 * holding the only replica of every partition, with log sizes from Postgres.
 */
@ExtendWith(RunningServer.class)
class KafkaSingleReplicaAdminTest {
  private static final int WAIT_SECONDS = 30;
  private final TestServer server;

  KafkaSingleReplicaAdminTest(TestServer server) {
    this.server = server;
  }

  @Test
  void logDirsReportEachPartitionsSizeFromPostgres() throws Exception {
    try (Admin admin = KafkaClients.admin(server);
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      // given a topic with 3 records of known sizes in partition 0, none in 1, and 2 records of which 1 deleted in 2
      admin.createTopics(List.of(new NewTopic("sized", 3, (short) 1))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>("sized", 0, bytes("k" + i), new byte[100])).get(WAIT_SECONDS,
            TimeUnit.SECONDS);
      }
      producer.send(new ProducerRecord<>("sized", 2, null, new byte[1000])).get(WAIT_SECONDS, TimeUnit.SECONDS);
      producer.send(new ProducerRecord<>("sized", 2, null, new byte[10])).get(WAIT_SECONDS, TimeUnit.SECONDS);
      admin.deleteRecords(Map.of(new TopicPartition("sized", 2),
          RecordsToDelete.beforeOffset(1))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // when
      Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(0)).allDescriptions()
          .get(WAIT_SECONDS, TimeUnit.SECONDS).get(0);

      // then one log dir, named after the database, with every partition; a record counts its value, key and
      // headers plus 16 bytes (the size log positions count), and deleted records count no more
      assertThat(dirs).hasSize(1);
      Map.Entry<String, LogDirDescription> dir = dirs.entrySet().iterator().next();
      assertThat(dir.getKey()).startsWith("postgresql:").hasSizeGreaterThan("postgresql:".length());
      assertThat(dir.getValue().error()).isNull();
      assertThat(dir.getValue().totalBytes()).isEmpty();
      assertThat(dir.getValue().usableBytes()).isEmpty();
      Map<TopicPartition, ReplicaInfo> replicas = dir.getValue().replicaInfos();
      assertThat(replicas.get(new TopicPartition("sized", 0)).size()).isEqualTo(3 * (100 + 2 + 16));
      assertThat(replicas.get(new TopicPartition("sized", 1)).size()).isZero();
      assertThat(replicas.get(new TopicPartition("sized", 2)).size()).isEqualTo(10 + 16);
      assertThat(replicas.values()).allSatisfy(replica -> {
        assertThat(replica.offsetLag()).isZero();
        assertThat(replica.isFuture()).isFalse();
      });
    }
  }

  @Test
  void noElectionIsEverNeeded() throws Exception {
    push(server, "elected", "p");
    TopicPartition known = new TopicPartition("elected", 0);
    TopicPartition unknown = new TopicPartition("elected", 99);
    try (Admin admin = KafkaClients.admin(server)) {
      for (ElectionType type : ElectionType.values()) {
        Map<TopicPartition, Optional<Throwable>> results = admin.electLeaders(type, Set.of(known, unknown))
            .partitions().get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(results.get(known)).containsInstanceOf(ElectionNotNeededException.class);
        assertThat(results.get(unknown)).containsInstanceOf(UnknownTopicOrPartitionException.class);
      }
      assertThat(admin.electLeaders(ElectionType.PREFERRED, null).partitions().get(WAIT_SECONDS, TimeUnit.SECONDS))
          .as("every partition: those that needed no election are left out").isEmpty();
    }
  }

  @Test
  void theOnlyReassignmentIsToThisNodeAndNoneIsEverInProgress() throws Exception {
    push(server, "moved", "p");
    TopicPartition p0 = new TopicPartition("moved", 0);
    TopicPartition p1 = new TopicPartition("moved", 1);
    TopicPartition p2 = new TopicPartition("moved", 2);
    TopicPartition missing = new TopicPartition("nowhere", 0);
    try (Admin admin = KafkaClients.admin(server)) {
      Map<TopicPartition, KafkaFuture<Void>> results = admin.alterPartitionReassignments(
          Map.of(p0, Optional.of(new NewPartitionReassignment(List.of(0))),
              p1, Optional.of(new NewPartitionReassignment(List.of(0, 1))),
              p2, Optional.empty(),
              missing, Optional.of(new NewPartitionReassignment(List.of(0))))).values();

      assertThat(results.get(p0)).succeedsWithin(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(results.get(p1)).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS).withThrowableThat()
          .withCauseInstanceOf(InvalidReplicaAssignmentException.class).withMessageContaining("[0, 1]");
      assertThat(results.get(p2)).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS).withThrowableThat()
          .withCauseInstanceOf(NoReassignmentInProgressException.class);
      assertThat(results.get(missing)).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS).withThrowableThat()
          .withCauseInstanceOf(UnknownTopicOrPartitionException.class);
      assertThat(admin.listPartitionReassignments().reassignments().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
      assertThat(admin.listPartitionReassignments(Set.of(p0, p1)).reassignments()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
      assertThat(admin.describeTopics(List.of("moved")).allTopicNames().get(WAIT_SECONDS, TimeUnit.SECONDS)
          .get("moved").partitions().get(1).replicas()).extracting(node -> node.id()).containsExactly(0);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
