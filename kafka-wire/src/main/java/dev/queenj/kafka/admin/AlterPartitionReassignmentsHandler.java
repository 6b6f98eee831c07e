package dev.queenj.kafka.admin;

import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import dev.queenj.kafka.metadata.SingleNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterPartitionReassignments (key 45), v0–1 ({@code kafka-reassign-partitions}): the cluster is one node holding
 * the only replica of every partition, so the one assignment there is, {@code [0]}, succeeds at once and changes
 * nothing; any other list is INVALID_REPLICA_ASSIGNMENT (with why), cancelling (no list) NO_REASSIGNMENT_IN_PROGRESS,
 * and an unknown partition UNKNOWN_TOPIC_OR_PARTITION.
 */
public final class AlterPartitionReassignmentsHandler
    implements ApiHandler<AlterPartitionReassignmentsRequestData, AlterPartitionReassignmentsResponseData> {
  private static final SupportedApi<AlterPartitionReassignmentsRequestData> SUPPORTED = SupportedApi.of(
      ApiKeys.ALTER_PARTITION_REASSIGNMENTS, 0, 1, AlterPartitionReassignmentsRequestData.class);
  private static final List<Integer> THE_ONLY_ASSIGNMENT = List.of(SingleNode.NODE_ID);
  private static final String INVALID = "This cluster is one node, " + SingleNode.NODE_ID
      + ", holding the only replica of every partition: the replicas can only be " + THE_ONLY_ASSIGNMENT + ", not ";

  private final QueueCatalog queues;

  public AlterPartitionReassignmentsHandler(QueueCatalog queues) {
    this.queues = queues;
  }

  @Override
  public SupportedApi<AlterPartitionReassignmentsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<AlterPartitionReassignmentsResponseData> handle(RequestContext context,
      AlterPartitionReassignmentsRequestData request) {
    Set<String> topics = new LinkedHashSet<>();
    request.topics().forEach(topic -> topics.add(topic.name()));
    return KnownPartitions.of(queues, topics).thenApply(known -> {
      AlterPartitionReassignmentsResponseData answer = answer(request).setErrorCode(Errors.NONE.code());
      for (ReassignableTopic topic : request.topics()) {
        ReassignableTopicResponse result = new ReassignableTopicResponse().setName(topic.name());
        for (ReassignablePartition partition : topic.partitions()) {
          List<Integer> replicas = partition.replicas();
          Errors error;
          String message = null;
          if (!known.contains(topic.name(), partition.partitionIndex())) {
            error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
          } else if (replicas == null) {
            error = Errors.NO_REASSIGNMENT_IN_PROGRESS;
          } else if (!replicas.equals(THE_ONLY_ASSIGNMENT)) {
            error = Errors.INVALID_REPLICA_ASSIGNMENT;
            message = INVALID + replicas + ".";
          } else {
            error = Errors.NONE;
          }
          result.partitions().add(new ReassignablePartitionResponse().setPartitionIndex(partition.partitionIndex())
              .setErrorCode(error.code()).setErrorMessage(error == Errors.NONE ? null
                  : message != null ? message : error.message()));
        }
        answer.responses().add(result);
      }
      return answer;
    });
  }

  private static AlterPartitionReassignmentsResponseData answer(AlterPartitionReassignmentsRequestData request) {
    return new AlterPartitionReassignmentsResponseData()
        .setAllowReplicationFactorChange(request.allowReplicationFactorChange());
  }

  @Override
  public AlterPartitionReassignmentsResponseData errorResponse(RequestContext context,
      AlterPartitionReassignmentsRequestData request, Errors error) {
    return answer(request).setErrorCode(error.code()).setErrorMessage(error.message());
  }
}
