package dev.queenj.kafka.admin;

import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.KafkaErrors;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreatePartitions (key 37), v0–3: raises a topic's Kafka partition count; never lowers it. Existing Queen
 * partitions (conversations) stay in the Kafka partitions they live in, so their order holds; only conversations
 * written for the first time afterwards are spread over the new count. {@code validate_only} changes nothing.
 */
public final class CreatePartitionsHandler
    implements ApiHandler<CreatePartitionsRequestData, CreatePartitionsResponseData> {
  private static final SupportedApi<CreatePartitionsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.CREATE_PARTITIONS, 0, 3, CreatePartitionsRequestData.class);

  private final QueueCatalog queues;

  public CreatePartitionsHandler(QueueCatalog queues) {
    this.queues = queues;
  }

  @Override
  public SupportedApi<CreatePartitionsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<CreatePartitionsResponseData> handle(RequestContext context,
      CreatePartitionsRequestData request) {
    Map<String, Integer> mentions = new HashMap<>();
    request.topics().forEach(topic -> mentions.merge(topic.name(), 1, Integer::sum));
    List<CompletableFuture<CreatePartitionsTopicResult>> results = new ArrayList<>();
    for (CreatePartitionsTopic topic : request.topics()) {
      CompletionStage<CreatePartitionsTopicResult> result = mentions.get(topic.name()) > 1
          ? CompletableFuture.failedFuture(
              new InvalidRequestException("Topic " + topic.name() + " is named more than once in the request."))
          : grow(topic, request.validateOnly());
      results.add(result.exceptionally(failure -> {
        Errors error = KafkaErrors.of(failure, context);
        return new CreatePartitionsTopicResult().setName(topic.name()).setErrorCode(error.code())
            .setErrorMessage(KafkaErrors.message(failure, error));
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).thenApply(all -> {
      CreatePartitionsResponseData answer = new CreatePartitionsResponseData();
      results.forEach(result -> answer.results().add(result.join()));
      return answer;
    });
  }

  @Override
  public CreatePartitionsResponseData errorResponse(RequestContext context, CreatePartitionsRequestData request,
      Errors error) {
    CreatePartitionsResponseData answer = new CreatePartitionsResponseData();
    request.topics().forEach(topic -> answer.results().add(new CreatePartitionsTopicResult().setName(topic.name())
        .setErrorCode(error.code()).setErrorMessage(error.message())));
    return answer;
  }

  private CompletionStage<CreatePartitionsTopicResult> grow(CreatePartitionsTopic topic, boolean validateOnly) {
    return Stages.of(queues.find(topic.name())).thenCompose(found -> {
      Queue queue = found.orElseThrow(() -> unknown(topic.name()));
      check(topic, queue);
      if (validateOnly) {
        return CompletableFuture.completedFuture(succeeded(topic));
      }
      return Stages.of(queues.grow(topic.name(), topic.count())).thenCompose(grown -> grown.isPresent()
          ? CompletableFuture.completedFuture(succeeded(topic))
          // another request deleted or grew it since it was read: answer from what is stored now
          : Stages.of(queues.find(topic.name())).thenApply(now -> {
            check(topic, now.orElseThrow(() -> unknown(topic.name())));
            throw new IllegalStateException("topic " + topic.name() + " did not grow");
          }));
    });
  }

  private static void check(CreatePartitionsTopic topic, Queue queue) {
    int current = queue.kafkaPartitions();
    if (topic.count() == current) {
      throw new InvalidPartitionsException("Topic already has " + current + " partitions.");
    }
    if (topic.count() < current) {
      throw new InvalidPartitionsException("Topic currently has " + current + " partitions, which is higher than"
          + " the requested " + topic.count() + ".");
    }
    TopicLimits.checkPartitionCount(topic.count());
    List<CreatePartitionsAssignment> assignments = topic.assignments();
    if (assignments != null) {
      if (assignments.size() != topic.count() - current) {
        throw new InvalidReplicaAssignmentException("Increasing the number of partitions by "
            + (topic.count() - current) + " but " + assignments.size() + " assignments provided.");
      }
      assignments.forEach(assignment -> TopicLimits.checkAssignment(assignment.brokerIds()));
    }
  }

  private static CreatePartitionsTopicResult succeeded(CreatePartitionsTopic topic) {
    return new CreatePartitionsTopicResult().setName(topic.name()).setErrorCode(Errors.NONE.code());
  }

  private static UnknownTopicOrPartitionException unknown(String name) {
    return new UnknownTopicOrPartitionException("The topic '" + name + "' does not exist.");
  }
}
