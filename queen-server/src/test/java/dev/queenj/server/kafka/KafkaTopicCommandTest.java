package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClients.popIds;
import static dev.queenj.server.kafka.KafkaClients.push;
import static dev.queenj.server.kafka.KafkaClients.queueNames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Kafka's own CLI, unchanged: {@code kafka-topics} managing queues, {@code kafka-cluster} describing the cluster. */
@ExtendWith(RunningServer.class)
class KafkaTopicCommandTest {
  private final TestServer server;

  KafkaTopicCommandTest(TestServer server) {
    this.server = server;
  }

  @Test
  void createListDescribeAlterAndDeleteATopic() {
    // create: a queue the native API pushes to
    KafkaCli.Result created = KafkaCli.topics(server, "--create", "--topic", "cli-orders", "--partitions", "3",
        "--replication-factor", "1", "--config", "max.message.bytes=2048");
    assertThat(created.status()).as("%s", created).isZero();
    assertThat(created.out()).contains("Created topic cli-orders.");
    push(server, "cli-orders", "customer-1", "t1");
    assertThat(popIds(server, "cli-orders", "customer-1")).containsExactly("t1");

    // list
    push(server, "native-queue", "p", "t1");
    KafkaCli.Result listed = KafkaCli.topics(server, "--list");
    assertThat(listed.status()).isZero();
    assertThat(listed.out().lines()).containsExactly("cli-orders", "native-queue");

    // describe: partitions and the configs set on the topic
    KafkaCli.Result described = KafkaCli.topics(server, "--describe", "--topic", "cli-orders");
    assertThat(described.status()).as("%s", described).isZero();
    assertThat(described.out()).containsPattern("Topic: cli-orders\tTopicId: \\S+\tPartitionCount: 3\t"
        + "ReplicationFactor: 1\tConfigs: max.message.bytes=2048");
    assertThat(described.out().lines().filter(line -> line.contains("Partition: ")))
        .containsExactly(partitionLine(0), partitionLine(1), partitionLine(2));

    // alter: more partitions, never fewer
    assertThat(KafkaCli.topics(server, "--alter", "--topic", "cli-orders", "--partitions", "5").status()).isZero();
    KafkaCli.Result shrunk = KafkaCli.topics(server, "--alter", "--topic", "cli-orders", "--partitions", "2");
    assertThat(shrunk.status()).isEqualTo(1);
    assertThat(shrunk.out()).contains("Topic currently has 5 partitions, which is higher than the requested 2.");
    assertThat(KafkaCli.topics(server, "--describe", "--topic", "cli-orders").out()).contains("PartitionCount: 5");

    // create again: refused
    KafkaCli.Result again = KafkaCli.topics(server, "--create", "--topic", "cli-orders");
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.out()).contains("Topic 'cli-orders' already exists.");

    // delete: the queue is gone for the native API too
    assertThat(KafkaCli.topics(server, "--delete", "--topic", "cli-orders").status()).isZero();
    assertThat(KafkaCli.topics(server, "--list").out().lines()).containsExactly("native-queue");
    assertThat(queueNames(server)).containsExactly("native-queue");
  }

  @Test
  void aBadReplicationFactorIsRefused() {
    KafkaCli.Result created = KafkaCli.topics(server, "--create", "--topic", "replicated", "--replication-factor", "3");

    assertThat(created.status()).isEqualTo(1);
    assertThat(created.out()).contains("Replication factor: 3 larger than available brokers: 1.");
    assertThat(queueNames(server)).isEmpty();
  }

  @Test
  void kafkaClusterPrintsTheClusterIdAdminSees() throws Exception {
    String clusterId;
    try (Admin admin = KafkaClients.admin(server)) {
      clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
    }

    KafkaCli.Result result = KafkaCli.cluster(server, "cluster-id");

    assertThat(result.status()).as("%s", result).isZero();
    assertThat(result.out()).isEqualTo("Cluster ID: " + clusterId + System.lineSeparator());
  }

  private static String partitionLine(int partition) {
    return "\tTopic: cli-orders\tPartition: " + partition + "\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: \tLastKnownElr: ";
  }
}
