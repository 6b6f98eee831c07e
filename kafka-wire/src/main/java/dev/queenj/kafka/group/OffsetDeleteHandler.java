package dev.queenj.kafka.group;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetDelete (key 47), v0: forgets a group's committed offsets of some partitions ({@code kafka-consumer-groups
 * --delete-offsets}, Admin's {@code deleteConsumerGroupOffsets}). As in Kafka, the offsets of a topic a live member
 * subscribes to are kept (GROUP_SUBSCRIBED_TO_TOPIC); a group with neither members nor offsets, or whose members do
 * not speak the consumer protocol, is GROUP_ID_NOT_FOUND.
 */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequestData, OffsetDeleteResponseData> {
  private static final SupportedApi<OffsetDeleteRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.OFFSET_DELETE, 0, 0, OffsetDeleteRequestData.class);

  private final GroupCoordinator coordinator;

  public OffsetDeleteHandler(GroupCoordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public SupportedApi<OffsetDeleteRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<OffsetDeleteResponseData> handle(RequestContext context, OffsetDeleteRequestData request) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (OffsetDeleteRequestTopic topic : request.topics()) {
      for (OffsetDeleteRequestPartition partition : topic.partitions()) {
        partitions.add(new TopicPartition(topic.name(), partition.partitionIndex()));
      }
    }
    return coordinator.deleteOffsets(request.groupId(), partitions).thenApply(errors -> {
      OffsetDeleteResponseData answer = new OffsetDeleteResponseData().setErrorCode(Errors.NONE.code());
      for (OffsetDeleteRequestTopic topic : request.topics()) {
        OffsetDeleteResponseTopic answered = answer.topics().find(topic.name());
        if (answered == null) {
          answered = new OffsetDeleteResponseTopic().setName(topic.name());
          answer.topics().add(answered);
        }
        for (OffsetDeleteRequestPartition partition : topic.partitions()) {
          if (answered.partitions().find(partition.partitionIndex()) == null) {
            answered.partitions().add(new OffsetDeleteResponsePartition().setPartitionIndex(
                partition.partitionIndex()).setErrorCode(
                errors.get(new TopicPartition(topic.name(), partition.partitionIndex())).code()));
          }
        }
      }
      return answer;
    });
  }

  @Override
  public OffsetDeleteResponseData errorResponse(RequestContext context, OffsetDeleteRequestData request,
      Errors error) {
    return new OffsetDeleteResponseData().setErrorCode(error.code());
  }
}
