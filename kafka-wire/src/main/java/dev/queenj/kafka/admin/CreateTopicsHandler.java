package dev.queenj.kafka.admin;

import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.KafkaErrors;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import dev.queenj.kafka.api.Uuids;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreateTopics (key 19), v2–7: each topic becomes a queue with its number of Kafka partitions (the default one for
 * -1) and the supported configs it names. One replica only: a replication factor other than 1 or -1 is refused, as
 * is a manual assignment naming another broker. {@code validate_only} checks everything, existence included, and
 * creates nothing. From v5 the answer carries the topic's partitions, replication factor and configs; from v7 its id.
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequestData, CreateTopicsResponseData> {
  private static final SupportedApi<CreateTopicsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.CREATE_TOPICS, 2, 7, CreateTopicsRequestData.class);
  /** The first version whose answer describes the created topic. */
  private static final short DESCRIBES_TOPIC = 5;
  private static final short RETURNS_TOPIC_ID = 7;
  private static final short REPLICATION_FACTOR = 1;

  private final QueueCatalog queues;
  private final int defaultPartitions;

  /** What a valid request entry asks for. */
  private record NewTopic(String name, int partitions, Map<String, String> configs) {}

  public CreateTopicsHandler(QueueCatalog queues, int defaultPartitions) {
    this.queues = queues;
    this.defaultPartitions = defaultPartitions;
  }

  @Override
  public SupportedApi<CreateTopicsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<CreateTopicsResponseData> handle(RequestContext context, CreateTopicsRequestData request) {
    Map<String, Integer> mentions = new HashMap<>();
    request.topics().forEach(topic -> mentions.merge(topic.name(), 1, Integer::sum));
    List<CompletableFuture<CreatableTopicResult>> results = new ArrayList<>();
    for (CreatableTopic topic : request.topics()) {
      if (mentions.get(topic.name()) > 1) {
        // answered once, like Kafka: the response is keyed by name
        if (mentions.put(topic.name(), 0) > 0) {
          results.add(CompletableFuture.completedFuture(failed(context, topic.name(),
              new InvalidRequestException("Topic " + topic.name() + " is named more than once in the request."))));
        }
        continue;
      }
      results.add(create(context, topic, request.validateOnly()).toCompletableFuture());
    }
    return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).thenApply(all -> {
      CreateTopicsResponseData answer = new CreateTopicsResponseData();
      results.forEach(result -> answer.topics().add(result.join()));
      return answer;
    });
  }

  @Override
  public CreateTopicsResponseData errorResponse(RequestContext context, CreateTopicsRequestData request,
      Errors error) {
    CreateTopicsResponseData answer = new CreateTopicsResponseData();
    for (CreatableTopic topic : request.topics()) {
      if (answer.topics().find(topic.name()) == null) {
        answer.topics().add(new CreatableTopicResult().setName(topic.name()).setErrorCode(error.code())
            .setErrorMessage(error.message()));
      }
    }
    return answer;
  }

  private CompletionStage<CreatableTopicResult> create(RequestContext context, CreatableTopic topic,
      boolean validateOnly) {
    CompletionStage<CreatableTopicResult> created;
    try {
      NewTopic wanted = validate(topic);
      if (validateOnly) {
        created = Stages.of(queues.find(wanted.name())).thenApply(existing -> {
          if (existing.isPresent()) {
            throw alreadyExists(wanted.name());
          }
          return described(context, wanted, null);
        });
      } else {
        created = Stages.of(queues.create(wanted.name(), wanted.partitions(), wanted.configs()))
            .thenApply(queue -> described(context, wanted, queue.orElseThrow(() -> alreadyExists(wanted.name()))));
      }
    } catch (RuntimeException e) {
      created = CompletableFuture.failedFuture(e);
    }
    return created.exceptionally(failure -> failed(context, topic.name(), failure));
  }

  private NewTopic validate(CreatableTopic topic) {
    Topic.validate(topic.name());
    if (Topic.isInternal(topic.name())) {
      throw new InvalidTopicException("Topic " + topic.name() + " is reserved for Kafka's internal use.");
    }
    TopicLimits.checkReplicationFactor(topic.replicationFactor());
    int partitions;
    if (topic.assignments().isEmpty()) {
      partitions = TopicLimits.partitionCount(topic.numPartitions(), defaultPartitions);
    } else {
      if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
        throw new InvalidRequestException("Both numPartitions or replicationFactor and replicasAssignments were set."
            + " Both cannot be used at the same time.");
      }
      Set<Integer> indexes = new HashSet<>();
      for (CreatableReplicaAssignment assignment : topic.assignments()) {
        indexes.add(assignment.partitionIndex());
        TopicLimits.checkAssignment(assignment.brokerIds());
      }
      int count = topic.assignments().size();
      // in any order, as clients send them from a map, but each of 0..n-1 exactly once
      if (indexes.size() != count || !indexes.stream().allMatch(index -> index >= 0 && index < count)) {
        throw new InvalidReplicaAssignmentException("Partitions should be a consecutive 0-based integer sequence.");
      }
      partitions = count;
      TopicLimits.checkPartitionCount(partitions);
    }
    Map<String, String> requested = new LinkedHashMap<>();
    for (CreatableTopicConfig config : topic.configs()) {
      requested.put(config.name(), config.value());
    }
    return new NewTopic(topic.name(), partitions, TopicConfigs.toStore(requested));
  }

  /** The success answer; {@code queue} is null when validating only (the topic has no id yet). */
  private static CreatableTopicResult described(RequestContext context, NewTopic topic, Queue queue) {
    CreatableTopicResult result = new CreatableTopicResult().setName(topic.name()).setErrorCode(Errors.NONE.code());
    short version = context.apiVersion();
    if (version >= RETURNS_TOPIC_ID) {
      result.setTopicId(queue == null ? Uuid.ZERO_UUID : Uuids.toKafka(queue.topicId()));
    }
    if (version >= DESCRIBES_TOPIC) {
      result.setNumPartitions(topic.partitions()).setReplicationFactor(REPLICATION_FACTOR)
          .setTopicConfigErrorCode(Errors.NONE.code());
      for (ConfigValue config : TopicConfigs.of(topic.configs())) {
        result.configs().add(new CreatableTopicConfigs().setName(config.name()).setValue(config.value())
            .setReadOnly(config.readOnly()).setConfigSource(config.source().id()).setIsSensitive(false));
      }
    }
    return result;
  }

  private static TopicExistsException alreadyExists(String name) {
    return new TopicExistsException("Topic '" + name + "' already exists.");
  }

  private static CreatableTopicResult failed(RequestContext context, String name, Throwable failure) {
    Errors error = KafkaErrors.of(failure, context);
    return new CreatableTopicResult().setName(name).setErrorCode(error.code())
        .setErrorMessage(KafkaErrors.message(failure, error));
  }
}
