package dev.queenj.kafka;

import dev.queenj.core.QueenCore;
import dev.queenj.kafka.admin.CreatePartitionsHandler;
import dev.queenj.kafka.admin.CreateTopicsHandler;
import dev.queenj.kafka.admin.DeleteTopicsHandler;
import dev.queenj.kafka.admin.DescribeConfigsHandler;
import dev.queenj.kafka.admin.IncrementalAlterConfigsHandler;
import dev.queenj.kafka.api.ApiTable;
import dev.queenj.kafka.metadata.DescribeClusterHandler;
import dev.queenj.kafka.metadata.DescribeTopicPartitionsHandler;
import dev.queenj.kafka.metadata.MetadataHandler;
import java.util.List;
import java.util.UUID;

/**
 * Every Kafka API this server serves. ApiVersions advertises exactly these (with their version ranges), so an API
 * joins this list only once it is fully implemented.
 */
final class KafkaApis {
  private KafkaApis() {}

  static ApiTable table(QueenCore core, KafkaConfig config, UUID clusterId) {
    return ApiTable.of(List.of(
        new MetadataHandler(core.queues(), clusterId, config.advertisedHost(), config.autoCreateTopics()),
        new CreateTopicsHandler(core.queues(), config.defaultPartitions()),
        new DeleteTopicsHandler(core.queues()),
        new CreatePartitionsHandler(core.queues()),
        new DescribeConfigsHandler(core.queues(), config),
        new IncrementalAlterConfigsHandler(core.queues()),
        new DescribeClusterHandler(clusterId, config.advertisedHost()),
        new DescribeTopicPartitionsHandler(core.queues())));
  }
}
