package dev.queenj.kafka.admin;

import dev.queenj.core.log.LogPosition;
import dev.queenj.core.retention.LogTrim;
import dev.queenj.core.retention.RetentionService;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteRecords (key 21), v0–2: moves each partition's log start to the requested offset (-1: the high watermark),
 * never back, and answers the new start as the low watermark. From then on ListOffsets(earliest) answers it and a
 * Fetch below it OFFSET_OUT_OF_RANGE; the rows below are deleted right after, in batches, by the retention
 * service's purge. An offset past the high watermark is OFFSET_OUT_OF_RANGE, an unknown topic or partition
 * UNKNOWN_TOPIC_OR_PARTITION, a partition of a topic whose cleanup.policy is compact without delete POLICY_VIOLATION
 * (as Kafka answers). All partitions of a request are moved by one statement.
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequestData, DeleteRecordsResponseData> {
  private static final SupportedApi<DeleteRecordsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DELETE_RECORDS, 0, 2, DeleteRecordsRequestData.class);
  private static final long NONE = -1;

  private final RetentionService retention;

  public DeleteRecordsHandler(RetentionService retention) {
    this.retention = retention;
  }

  @Override
  public SupportedApi<DeleteRecordsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DeleteRecordsResponseData> handle(RequestContext context, DeleteRecordsRequestData request) {
    List<LogPosition> positions = new ArrayList<>();
    for (DeleteRecordsTopic topic : request.topics()) {
      for (DeleteRecordsPartition partition : topic.partitions()) {
        // -1 is the high watermark; the statement finds any offset below it out of range
        positions.add(new LogPosition(topic.name(), partition.partitionIndex(), partition.offset(), 0));
      }
    }
    CompletionStage<List<LogTrim>> trimmed = positions.isEmpty() ? CompletableFuture.completedFuture(List.of())
        : Stages.of(retention.trim(positions));
    return trimmed.thenApply(trims -> {
      DeleteRecordsResponseData answer = new DeleteRecordsResponseData();
      int i = 0;
      for (DeleteRecordsTopic topic : request.topics()) {
        DeleteRecordsTopicResult out = topicResult(answer, topic.name());
        for (DeleteRecordsPartition partition : topic.partitions()) {
          out.partitions().add(result(partition, trims.get(i++)));
        }
      }
      return answer;
    });
  }

  private static DeleteRecordsPartitionResult result(DeleteRecordsPartition partition, LogTrim trim) {
    DeleteRecordsPartitionResult out = new DeleteRecordsPartitionResult()
        .setPartitionIndex(partition.partitionIndex()).setLowWatermark(NONE);
    if (!trim.known()) {
      return out.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
    if (trim.compactOnly()) {
      return out.setErrorCode(Errors.POLICY_VIOLATION.code());
    }
    if (trim.outOfRange()) {
      return out.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
    }
    return out.setLowWatermark(trim.logStartOffset()).setErrorCode(Errors.NONE.code());
  }

  @Override
  public DeleteRecordsResponseData errorResponse(RequestContext context, DeleteRecordsRequestData request,
      Errors error) {
    DeleteRecordsResponseData answer = new DeleteRecordsResponseData();
    for (DeleteRecordsTopic topic : request.topics()) {
      DeleteRecordsTopicResult out = topicResult(answer, topic.name());
      for (DeleteRecordsPartition partition : topic.partitions()) {
        out.partitions().add(new DeleteRecordsPartitionResult().setPartitionIndex(partition.partitionIndex())
            .setLowWatermark(NONE).setErrorCode(error.code()));
      }
    }
    return answer;
  }

  /** The answer's entry for a topic: one per name, as the response collection is keyed by it. */
  private static DeleteRecordsTopicResult topicResult(DeleteRecordsResponseData answer, String name) {
    DeleteRecordsTopicResult existing = answer.topics().find(name);
    if (existing != null) {
      return existing;
    }
    DeleteRecordsTopicResult created = new DeleteRecordsTopicResult().setName(name);
    answer.topics().add(created);
    return created;
  }
}
