package dev.queenj.kafka.group;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetCommit (key 8), v2–9: stores a group's offsets with their metadata and leader epoch in Postgres and answers
 * after the commit; from a member of the current generation, or "simple" (generation -1, no member id) while the
 * group has no members. The v2–4 retention time is ignored: offsets are kept until the group or topic is deleted.
 * v10 names topics by id and is not served.
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequestData, OffsetCommitResponseData> {
  private static final SupportedApi<OffsetCommitRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.OFFSET_COMMIT, 2, 9, OffsetCommitRequestData.class);

  private final GroupCoordinator coordinator;

  public OffsetCommitHandler(GroupCoordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public SupportedApi<OffsetCommitRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<OffsetCommitResponseData> handle(RequestContext context, OffsetCommitRequestData request) {
    List<PartitionCommit> commits = new ArrayList<>();
    for (OffsetCommitRequestTopic topic : request.topics()) {
      for (OffsetCommitRequestPartition partition : topic.partitions()) {
        commits.add(new PartitionCommit(topic.name(), partition.partitionIndex(), partition.committedOffset(),
            partition.committedLeaderEpoch(), partition.committedMetadata()));
      }
    }
    return coordinator.commitOffsets(request.groupId(), request.memberId(), request.groupInstanceId(),
        request.generationIdOrMemberEpoch(), commits).thenApply(errors -> {
          OffsetCommitResponseData answer = new OffsetCommitResponseData();
          for (OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseTopic answered = new OffsetCommitResponseTopic().setName(topic.name());
            for (OffsetCommitRequestPartition partition : topic.partitions()) {
              Errors error = errors.get(new TopicPartition(topic.name(), partition.partitionIndex()));
              answered.partitions().add(new OffsetCommitResponsePartition()
                  .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
            answer.topics().add(answered);
          }
          return answer;
        });
  }

  @Override
  public OffsetCommitResponseData errorResponse(RequestContext context, OffsetCommitRequestData request,
      Errors error) {
    OffsetCommitResponseData answer = new OffsetCommitResponseData();
    for (OffsetCommitRequestTopic topic : request.topics()) {
      OffsetCommitResponseTopic answered = new OffsetCommitResponseTopic().setName(topic.name());
      for (OffsetCommitRequestPartition partition : topic.partitions()) {
        answered.partitions().add(new OffsetCommitResponsePartition().setPartitionIndex(partition.partitionIndex())
            .setErrorCode(error.code()));
      }
      answer.topics().add(answered);
    }
    return answer;
  }
}
