package dev.queenj.kafka.metadata;

import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import dev.queenj.kafka.api.Uuids;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;

/**
 * Metadata (key 3), v0–12: this server is the whole cluster — one broker, node 0, at the advertised host and the
 * port the client reached — and it leads every partition. Topics are queues, each with its Kafka partitions.
 *
 * <p>A topic that does not exist is created (as a queue with the default partition count) when the request allows
 * it (always before v4, {@code allow_auto_topic_creation} since) and {@code QUEEN_KAFKA_AUTO_CREATE_TOPICS} is on;
 * otherwise it is UNKNOWN_TOPIC_OR_PARTITION, or INVALID_TOPIC_EXCEPTION when Kafka would refuse the name. Since v12
 * topics may be named by id; ids never create anything.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequestData, MetadataResponseData> {
  private static final SupportedApi<MetadataRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.METADATA, 0, 12, MetadataRequestData.class);
  /** The first version whose requests may name topics by id alone. */
  private static final short TOPIC_ID_REQUESTS = 12;
  private static final int NODE_ID = SingleNode.NODE_ID;
  private static final int LEADER_EPOCH = SingleNode.LEADER_EPOCH;

  private final QueueCatalog queues;
  private final String clusterId;
  private final String advertisedHost;
  private final boolean autoCreateTopics;

  public MetadataHandler(QueueCatalog queues, UUID clusterId, String advertisedHost, boolean autoCreateTopics) {
    this.queues = queues;
    this.clusterId = Uuids.toKafka(clusterId).toString();
    this.advertisedHost = advertisedHost;
    this.autoCreateTopics = autoCreateTopics;
  }

  @Override
  public SupportedApi<MetadataRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<MetadataResponseData> handle(RequestContext context, MetadataRequestData request) {
    CompletionStage<List<MetadataResponseTopic>> topics;
    if (new MetadataRequest(request, context.apiVersion()).isAllTopics()) {
      topics = Stages.of(queues.all()).thenApply(all -> all.stream().map(MetadataHandler::describe).toList());
    } else {
      Set<Uuid> ids = topicIds(request, context.apiVersion());
      topics = ids.isEmpty() ? byName(topicNames(request), request.allowAutoTopicCreation()) : byId(ids);
    }
    return topics.thenApply(described -> {
      MetadataResponseData answer = new MetadataResponseData()
          .setClusterId(clusterId)
          .setControllerId(NODE_ID);
      answer.brokers().add(new MetadataResponseBroker().setNodeId(NODE_ID).setHost(advertisedHost)
          .setPort(context.listenerPort()));
      answer.topics().addAll(described);
      return answer;
    });
  }

  @Override
  public MetadataResponseData errorResponse(RequestContext context, MetadataRequestData request, Errors error) {
    return ((MetadataResponse) new MetadataRequest(request, context.apiVersion())
        .getErrorResponse(0, error.exception())).data();
  }

  /** The topic ids the request names; empty when it names topics by name. */
  private static Set<Uuid> topicIds(MetadataRequestData request, short version) {
    Set<Uuid> ids = new LinkedHashSet<>();
    for (MetadataRequestTopic topic : request.topics()) {
      if (!Uuid.ZERO_UUID.equals(topic.topicId())) {
        if (version < TOPIC_ID_REQUESTS) {
          throw new InvalidRequestException("Metadata v" + version + " cannot name topics by id");
        }
        ids.add(topic.topicId());
      }
    }
    return ids;
  }

  private static Set<String> topicNames(MetadataRequestData request) {
    Set<String> names = new LinkedHashSet<>();
    for (MetadataRequestTopic topic : request.topics()) {
      if (topic.name() == null) {
        throw new InvalidRequestException("a topic needs a name or an id");
      }
      names.add(topic.name());
    }
    return names;
  }

  private CompletionStage<List<MetadataResponseTopic>> byName(Set<String> names, boolean creationAllowed) {
    if (names.isEmpty()) {
      // brokers and cluster only: what clients (Admin, every refresh) ask before they care about a topic
      return CompletableFuture.completedFuture(List.of());
    }
    return Stages.of(queues.named(names)).thenCompose(found -> {
      Map<String, Queue> byName = found.stream().collect(Collectors.toMap(Queue::name, Function.identity()));
      List<CompletableFuture<MetadataResponseTopic>> answers = new ArrayList<>(names.size());
      for (String name : names) {
        Queue queue = byName.get(name);
        answers.add(queue != null ? CompletableFuture.completedFuture(describe(queue))
            : missing(name, creationAllowed).toCompletableFuture());
      }
      return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0]))
          .thenApply(all -> answers.stream().map(CompletableFuture::join).toList());
    });
  }

  private CompletionStage<MetadataResponseTopic> missing(String name, boolean creationAllowed) {
    if (!Topic.isValid(name)) {
      return CompletableFuture.completedFuture(failed(name, Errors.INVALID_TOPIC_EXCEPTION));
    }
    // Kafka's own internal topics (__consumer_offsets, …) are never queues: creating one would only mislead.
    if (!autoCreateTopics || !creationAllowed || Topic.isInternal(name)) {
      return CompletableFuture.completedFuture(failed(name, Errors.UNKNOWN_TOPIC_OR_PARTITION));
    }
    return Stages.of(queues.ensure(name)).thenApply(MetadataHandler::describe);
  }

  private CompletionStage<List<MetadataResponseTopic>> byId(Set<Uuid> ids) {
    List<UUID> wanted = ids.stream().map(Uuids::fromKafka).toList();
    return Stages.of(queues.withTopicIds(wanted)).thenApply(found -> {
      Map<UUID, Queue> byId = found.stream().collect(Collectors.toMap(Queue::topicId, Function.identity()));
      return ids.stream().map(id -> {
        Queue queue = byId.get(Uuids.fromKafka(id));
        return queue != null ? describe(queue)
            : new MetadataResponseTopic().setTopicId(id).setName(null).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
      }).toList();
    });
  }

  private static MetadataResponseTopic describe(Queue queue) {
    MetadataResponseTopic topic = new MetadataResponseTopic().setName(queue.name())
        .setTopicId(Uuids.toKafka(queue.topicId()));
    for (int partition = 0; partition < queue.kafkaPartitions(); partition++) {
      topic.partitions().add(new MetadataResponsePartition().setPartitionIndex(partition).setLeaderId(NODE_ID)
          .setLeaderEpoch(LEADER_EPOCH).setReplicaNodes(List.of(NODE_ID)).setIsrNodes(List.of(NODE_ID)));
    }
    return topic;
  }

  private static MetadataResponseTopic failed(String name, Errors error) {
    return new MetadataResponseTopic().setName(name).setErrorCode(error.code());
  }
}
