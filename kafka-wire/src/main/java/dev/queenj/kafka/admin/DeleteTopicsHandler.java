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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteTopics (key 20), v1–6: deletes each topic's queue with everything stored for it — messages, Queen
 * partitions, consumer state, topic configs — so the native API no longer knows it either. Topics are named by name,
 * or from v6 by name or id.
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequestData, DeleteTopicsResponseData> {
  private static final SupportedApi<DeleteTopicsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DELETE_TOPICS, 1, 6, DeleteTopicsRequestData.class);
  /** The first version that names topics in {@code topics} (by name or id) instead of {@code topic_names}. */
  private static final short TOPIC_STATES = 6;

  private final QueueCatalog queues;

  public DeleteTopicsHandler(QueueCatalog queues) {
    this.queues = queues;
  }

  @Override
  public SupportedApi<DeleteTopicsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DeleteTopicsResponseData> handle(RequestContext context, DeleteTopicsRequestData request) {
    List<CompletableFuture<DeletableTopicResult>> results = new ArrayList<>();
    for (DeleteTopicState topic : topics(context, request)) {
      results.add(delete(context, topic).toCompletableFuture());
    }
    return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).thenApply(all -> {
      DeleteTopicsResponseData answer = new DeleteTopicsResponseData();
      results.forEach(result -> answer.responses().add(result.join()));
      return answer;
    });
  }

  @Override
  public DeleteTopicsResponseData errorResponse(RequestContext context, DeleteTopicsRequestData request,
      Errors error) {
    DeleteTopicsResponseData answer = new DeleteTopicsResponseData();
    for (DeleteTopicState topic : topics(context, request)) {
      answer.responses().add(new DeletableTopicResult().setName(topic.name()).setTopicId(topic.topicId())
          .setErrorCode(error.code()).setErrorMessage(error.message()));
    }
    return answer;
  }

  private static List<DeleteTopicState> topics(RequestContext context, DeleteTopicsRequestData request) {
    if (context.apiVersion() >= TOPIC_STATES) {
      return request.topics();
    }
    return request.topicNames().stream().map(name -> new DeleteTopicState().setName(name)).toList();
  }

  private CompletionStage<DeletableTopicResult> delete(RequestContext context, DeleteTopicState topic) {
    CompletionStage<DeletableTopicResult> deleted;
    boolean byId = !Uuid.ZERO_UUID.equals(topic.topicId());
    if (byId && topic.name() != null) {
      deleted = CompletableFuture.failedFuture(
          new InvalidRequestException("A topic must be named by its name or its id, not both."));
    } else if (byId) {
      UUID id = Uuids.fromKafka(topic.topicId());
      deleted = Stages.of(queues.withTopicIds(List.of(id))).thenCompose(found -> {
        if (found.isEmpty()) {
          throw new UnknownTopicIdException("Topic id " + topic.topicId() + " does not exist.");
        }
        return deleteQueue(found.get(0), context, topic);
      });
    } else if (topic.name() == null) {
      deleted = CompletableFuture.failedFuture(new InvalidRequestException("A topic needs a name or an id."));
    } else {
      deleted = Stages.of(queues.find(topic.name())).thenCompose(found -> deleteQueue(
          found.orElseThrow(() -> unknown(topic.name())), context, topic));
    }
    return deleted.exceptionally(failure -> {
      Errors error = KafkaErrors.of(failure, context);
      return new DeletableTopicResult().setName(topic.name()).setTopicId(topic.topicId())
          .setErrorCode(error.code()).setErrorMessage(KafkaErrors.message(failure, error));
    });
  }

  private CompletionStage<DeletableTopicResult> deleteQueue(Queue queue, RequestContext context,
      DeleteTopicState topic) {
    return Stages.of(queues.delete(queue.name())).thenApply(existed -> {
      if (!existed) {
        // deleted by another request since it was looked up
        throw unknown(queue.name());
      }
      DeletableTopicResult result = new DeletableTopicResult().setName(queue.name())
          .setErrorCode(Errors.NONE.code());
      if (context.apiVersion() >= TOPIC_STATES) {
        result.setTopicId(Uuids.toKafka(queue.topicId()));
      }
      return result;
    });
  }

  private static UnknownTopicOrPartitionException unknown(String name) {
    return new UnknownTopicOrPartitionException("Topic " + name + " does not exist.");
  }
}
