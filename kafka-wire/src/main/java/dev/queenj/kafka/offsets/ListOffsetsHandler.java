package dev.queenj.kafka.offsets;

import dev.queenj.core.log.LogOffset;
import dev.queenj.core.log.LogPosition;
import dev.queenj.core.log.LogReader;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * ListOffsets (key 2), v1–7: earliest (-2) is the log start, latest (-1) the high watermark, max timestamp (-3) the
 * record with the largest timestamp, and a time t the first record whose timestamp is at least t (offset -1 when
 * none is). A record's timestamp is its Kafka CreateTime, or for a native push when it was stored. All partitions
 * of a request are answered by one statement. Leader epochs are not tracked: -1.
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequestData, ListOffsetsResponseData> {
  private static final SupportedApi<ListOffsetsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.LIST_OFFSETS, 1, 7, ListOffsetsRequestData.class);
  private static final int NO_EPOCH = -1;
  private static final long NONE = -1;

  private final LogReader log;

  public ListOffsetsHandler(LogReader log) {
    this.log = log;
  }

  @Override
  public SupportedApi<ListOffsetsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<ListOffsetsResponseData> handle(RequestContext context, ListOffsetsRequestData request) {
    List<LogPosition> positions = new ArrayList<>();
    for (ListOffsetsTopic topic : request.topics()) {
      for (ListOffsetsPartition partition : topic.partitions()) {
        positions.add(new LogPosition(topic.name(), partition.partitionIndex(), partition.timestamp(), 0));
      }
    }
    CompletionStage<List<LogOffset>> found = positions.isEmpty() ? CompletableFuture.completedFuture(List.of())
        : Stages.of(log.offsets(positions));
    return found.thenApply(offsets -> {
      ListOffsetsResponseData answer = new ListOffsetsResponseData();
      int i = 0;
      for (ListOffsetsTopic topic : request.topics()) {
        ListOffsetsTopicResponse out = new ListOffsetsTopicResponse().setName(topic.name());
        answer.topics().add(out);
        for (ListOffsetsPartition partition : topic.partitions()) {
          out.partitions().add(answer(partition, offsets.get(i++)));
        }
      }
      return answer;
    });
  }

  private static ListOffsetsPartitionResponse answer(ListOffsetsPartition partition, LogOffset found) {
    ListOffsetsPartitionResponse out = new ListOffsetsPartitionResponse()
        .setPartitionIndex(partition.partitionIndex()).setLeaderEpoch(NO_EPOCH).setTimestamp(NONE);
    if (found == null) {
      return out.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setOffset(NONE);
    }
    long target = partition.timestamp();
    if (target == ListOffsetsRequest.EARLIEST_TIMESTAMP) {
      return out.setOffset(found.logStartOffset());
    }
    if (target == ListOffsetsRequest.LATEST_TIMESTAMP) {
      return out.setOffset(found.highWatermark());
    }
    if (target == ListOffsetsRequest.MAX_TIMESTAMP || target >= 0) {
      return out.setOffset(found.offset()).setTimestamp(found.timestamp());
    }
    // -4 (earliest local) and -5 (earliest tiered) belong to versions we do not advertise
    return out.setErrorCode(Errors.INVALID_REQUEST.code()).setOffset(NONE);
  }

  @Override
  public ListOffsetsResponseData errorResponse(RequestContext context, ListOffsetsRequestData request,
      Errors error) {
    ListOffsetsResponseData answer = new ListOffsetsResponseData();
    for (ListOffsetsTopic topic : request.topics()) {
      ListOffsetsTopicResponse out = new ListOffsetsTopicResponse().setName(topic.name());
      answer.topics().add(out);
      for (ListOffsetsPartition partition : topic.partitions()) {
        out.partitions().add(new ListOffsetsPartitionResponse().setPartitionIndex(partition.partitionIndex())
            .setErrorCode(error.code()).setTimestamp(NONE).setOffset(NONE).setLeaderEpoch(NO_EPOCH));
      }
    }
    return answer;
  }
}
