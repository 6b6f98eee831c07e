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
 * Metadata (key 3), v0–12: the brokers are the live instances on the database ({@link Brokers}: their endpoints on
 * the listener the client came in on), partition leadership is spread over them, and every partition's leader epoch
 * is the membership epoch, which grows whenever the live instances change (so clients accept the new leaders).
 * Every broker is the partition's only replica: the data is in Postgres, not on the brokers. Topics are queues, each
 * with its Kafka partitions.
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

  private final QueueCatalog queues;
  private final String clusterId;
  private final Brokers brokers;
  private final boolean autoCreateTopics;

  public MetadataHandler(QueueCatalog queues, UUID clusterId, Brokers brokers, boolean autoCreateTopics) {
    this.queues = queues;
    this.clusterId = Uuids.toKafka(clusterId).toString();
    this.brokers = brokers;
    this.autoCreateTopics = autoCreateTopics;
  }

  @Override
  public SupportedApi<MetadataRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<MetadataResponseData> handle(RequestContext context, MetadataRequestData request) {
    boolean all = new MetadataRequest(request, context.apiVersion()).isAllTopics();
    Set<Uuid> ids = all ? Set.of() : topicIds(request, context.apiVersion());
    Set<String> names = all || !ids.isEmpty() ? Set.of() : topicNames(request);
    return Stages.of(brokers.view()).thenCompose(view -> {
      Leaders leaders = new Leaders(brokers.on(view, context), view.epoch());
      CompletionStage<List<MetadataResponseTopic>> topics;
      if (all) {
        topics = Stages.of(queues.all()).thenApply(queues -> queues.stream().map(leaders::describe).toList());
      } else {
        topics = ids.isEmpty() ? byName(names, request.allowAutoTopicCreation(), leaders) : byId(ids, leaders);
      }
      return topics.thenApply(described -> {
        MetadataResponseData answer = new MetadataResponseData()
            .setClusterId(clusterId)
            .setControllerId(leaders.brokers().get(0).nodeId());
        for (Broker broker : leaders.brokers()) {
          answer.brokers().add(new MetadataResponseBroker().setNodeId(broker.nodeId()).setHost(broker.host())
              .setPort(broker.port()));
        }
        answer.topics().addAll(described);
        return answer;
      });
    });
  }

  /** The brokers a client may use, by node id, and the leader epoch every partition has now. */
  private record Leaders(List<Broker> brokers, int epoch) {
    MetadataResponseTopic describe(Queue queue) {
      MetadataResponseTopic topic = new MetadataResponseTopic().setName(queue.name())
          .setTopicId(Uuids.toKafka(queue.topicId()));
      for (int partition = 0; partition < queue.kafkaPartitions(); partition++) {
        int leader = Brokers.leader(brokers, queue.name(), partition).nodeId();
        topic.partitions().add(new MetadataResponsePartition().setPartitionIndex(partition).setLeaderId(leader)
            .setLeaderEpoch(epoch).setReplicaNodes(List.of(leader)).setIsrNodes(List.of(leader)));
      }
      return topic;
    }
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

  private CompletionStage<List<MetadataResponseTopic>> byName(Set<String> names, boolean creationAllowed,
      Leaders leaders) {
    if (names.isEmpty()) {
      // brokers and cluster only: what clients (Admin, every refresh) ask before they care about a topic
      return CompletableFuture.completedFuture(List.of());
    }
    return Stages.of(queues.named(names)).thenCompose(found -> {
      Map<String, Queue> byName = found.stream().collect(Collectors.toMap(Queue::name, Function.identity()));
      List<CompletableFuture<MetadataResponseTopic>> answers = new ArrayList<>(names.size());
      for (String name : names) {
        Queue queue = byName.get(name);
        answers.add(queue != null ? CompletableFuture.completedFuture(leaders.describe(queue))
            : missing(name, creationAllowed, leaders).toCompletableFuture());
      }
      return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0]))
          .thenApply(all -> answers.stream().map(CompletableFuture::join).toList());
    });
  }

  private CompletionStage<MetadataResponseTopic> missing(String name, boolean creationAllowed, Leaders leaders) {
    if (!Topic.isValid(name)) {
      return CompletableFuture.completedFuture(failed(name, Errors.INVALID_TOPIC_EXCEPTION));
    }
    // Kafka's own internal topics (__consumer_offsets, …) are never queues: creating one would only mislead.
    if (!autoCreateTopics || !creationAllowed || Topic.isInternal(name)) {
      return CompletableFuture.completedFuture(failed(name, Errors.UNKNOWN_TOPIC_OR_PARTITION));
    }
    return Stages.of(queues.ensure(name)).thenApply(leaders::describe);
  }

  private CompletionStage<List<MetadataResponseTopic>> byId(Set<Uuid> ids, Leaders leaders) {
    List<UUID> wanted = ids.stream().map(Uuids::fromKafka).toList();
    return Stages.of(queues.withTopicIds(wanted)).thenApply(found -> {
      Map<UUID, Queue> byId = found.stream().collect(Collectors.toMap(Queue::topicId, Function.identity()));
      return ids.stream().map(id -> {
        Queue queue = byId.get(Uuids.fromKafka(id));
        return queue != null ? leaders.describe(queue)
            : new MetadataResponseTopic().setTopicId(id).setName(null).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
      }).toList();
    });
  }

  private static MetadataResponseTopic failed(String name, Errors error) {
    return new MetadataResponseTopic().setName(name).setErrorCode(error.code());
  }
}
