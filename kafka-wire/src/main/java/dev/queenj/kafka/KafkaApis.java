package dev.queenj.kafka;

import dev.queenj.core.QueenCore;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.ApiTable;
import dev.queenj.kafka.fetch.FetchHandler;
import dev.queenj.kafka.group.GroupApis;
import dev.queenj.kafka.group.GroupConfig;
import dev.queenj.kafka.group.GroupCoordinator;
import dev.queenj.kafka.metadata.MetadataHandler;
import dev.queenj.kafka.offsets.ListOffsetsHandler;
import dev.queenj.kafka.produce.InitProducerIdHandler;
import dev.queenj.kafka.produce.ProduceHandler;
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

  static ApiTable table(Vertx vertx, QueenCore core, KafkaConfig config, UUID clusterId) {
    List<ApiHandler<?, ?>> apis = new ArrayList<>();
    apis.add(new MetadataHandler(core.queues(), clusterId, config.advertisedHost(), config.autoCreateTopics()));
    apis.add(new ProduceHandler(core.push(), core.queues(), config.autoCreateTopics()));
    apis.add(new InitProducerIdHandler(core.database()));
    apis.add(new FetchHandler(vertx, core.log(), core.appendSignal()));
    apis.add(new ListOffsetsHandler(core.log()));
    apis.addAll(GroupApis.over(new GroupCoordinator(vertx, core, GroupConfig.defaults()), config.advertisedHost()));
    return ApiTable.of(apis);
  }
}
