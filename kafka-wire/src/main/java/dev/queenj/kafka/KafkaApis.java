package dev.queenj.kafka;

import dev.queenj.core.QueenCore;
import dev.queenj.core.acl.AclPolicy;
import dev.queenj.core.log.LogSizes;
import dev.queenj.kafka.acl.AclApis;
import dev.queenj.kafka.acl.RequestAccess;
import dev.queenj.kafka.admin.AlterConfigsHandler;
import dev.queenj.kafka.admin.AlterPartitionReassignmentsHandler;
import dev.queenj.kafka.admin.CreatePartitionsHandler;
import dev.queenj.kafka.admin.CreateTopicsHandler;
import dev.queenj.kafka.admin.DeleteRecordsHandler;
import dev.queenj.kafka.admin.DeleteTopicsHandler;
import dev.queenj.kafka.admin.DescribeConfigsHandler;
import dev.queenj.kafka.admin.DescribeLogDirsHandler;
import dev.queenj.kafka.admin.ElectLeadersHandler;
import dev.queenj.kafka.admin.IncrementalAlterConfigsHandler;
import dev.queenj.kafka.admin.ListPartitionReassignmentsHandler;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.ApiLatency;
import dev.queenj.kafka.api.ApiTable;
import dev.queenj.kafka.fetch.FetchHandler;
import dev.queenj.kafka.fetch.ParkedFetches;
import dev.queenj.kafka.group.GroupApis;
import dev.queenj.kafka.group.GroupCoordinator;
import dev.queenj.kafka.metadata.Brokers;
import dev.queenj.kafka.metadata.DescribeClusterHandler;
import dev.queenj.kafka.metadata.DescribeTopicPartitionsHandler;
import dev.queenj.kafka.metadata.MetadataHandler;
import dev.queenj.kafka.offsets.ListOffsetsHandler;
import dev.queenj.kafka.produce.InitProducerIdHandler;
import dev.queenj.kafka.produce.ProduceHandler;
import dev.queenj.kafka.security.AlterUserScramCredentialsHandler;
import dev.queenj.kafka.security.DescribeClientQuotasHandler;
import dev.queenj.kafka.security.DescribeUserScramCredentialsHandler;
import dev.queenj.kafka.security.SaslAuthenticateHandler;
import dev.queenj.kafka.security.SaslHandshakeHandler;
import dev.queenj.kafka.security.ScramUsers;
import dev.queenj.kafka.txn.TransactionApis;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Every Kafka API this server serves. ApiVersions advertises exactly these (with their version ranges), so an API
 * joins this list only once it is fully implemented.
 */
final class KafkaApis {
  private KafkaApis() {}

  static ApiTable table(Vertx vertx, QueenCore core, KafkaConfig config, UUID clusterId, ScramUsers users,
      Brokers brokers, GroupCoordinator groups) {
    return table(vertx, core, config, clusterId, users, brokers, groups, ApiLatency.NONE, new ParkedFetches());
  }

  /** The same, telling {@code latency} how long each request took, and counting waiting fetches in {@code parked}. */
  static ApiTable table(Vertx vertx, QueenCore core, KafkaConfig config, UUID clusterId, ScramUsers users,
      Brokers brokers, GroupCoordinator groups, ApiLatency latency, ParkedFetches parked) {
    List<ApiHandler<?, ?>> apis = new ArrayList<>(List.of(
        new MetadataHandler(core.queues(), clusterId, brokers, config.autoCreateTopics()),
        new ProduceHandler(core.push(), core.kafkaTransactions(), core.queues(), config.autoCreateTopics()),
        new InitProducerIdHandler(core.kafkaTransactions(), config.transactionMaxTimeoutMs()),
        new FetchHandler(vertx, core.log(), core.appendSignal(), core.counters(), parked),
        new ListOffsetsHandler(core.log()),
        new CreateTopicsHandler(core.queues(), config.defaultPartitions()),
        new DeleteTopicsHandler(core.queues()),
        new CreatePartitionsHandler(core.queues()),
        new DescribeConfigsHandler(core.queues(), config, core.retention().config(), brokers::self),
        new IncrementalAlterConfigsHandler(core.queues(), brokers::self),
        new AlterConfigsHandler(core.queues(), brokers::self),
        new DeleteRecordsHandler(core.retention()),
        new DescribeLogDirsHandler(new LogSizes(core.database())),
        new ElectLeadersHandler(core.queues()),
        new AlterPartitionReassignmentsHandler(core.queues()),
        new ListPartitionReassignmentsHandler(),
        new DescribeClusterHandler(clusterId, brokers),
        new DescribeTopicPartitionsHandler(core.queues(), brokers),
        new SaslHandshakeHandler(config.security().saslMechanisms()),
        new SaslAuthenticateHandler(),
        new AlterUserScramCredentialsHandler(users),
        new DescribeUserScramCredentialsHandler(users),
        new DescribeClientQuotasHandler()));
    apis.addAll(GroupApis.over(groups, core.kafkaTransactions(), brokers));
    apis.addAll(TransactionApis.over(core));
    apis.addAll(AclApis.over(core.acls(), config.authorizer().enabled()));
    AclPolicy acls = new AclPolicy(config.authorizer(), core.acls()::snapshot);
    return ApiTable.of(apis, core.database().timeouts().statementMs(), acls, new RequestAccess(), latency);
  }
}
