package dev.queenj.kafka.admin;

import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ElectLeaders (key 43), v0–2 ({@code kafka-leader-election}): every partition has one replica, this node, which
 * always leads it, so a preferred or an unclean election is never needed: each named partition answers
 * ELECTION_NOT_NEEDED (an unknown one UNKNOWN_TOPIC_OR_PARTITION). Asked for every partition (no list), the answer
 * lists none, as Kafka leaves out the partitions that needed no election.
 */
public final class ElectLeadersHandler implements ApiHandler<ElectLeadersRequestData, ElectLeadersResponseData> {
  private static final SupportedApi<ElectLeadersRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.ELECT_LEADERS, 0, 2, ElectLeadersRequestData.class);
  private static final String NOT_NEEDED = "The only replica, on node 0, already leads the partition.";

  private final QueueCatalog queues;

  public ElectLeadersHandler(QueueCatalog queues) {
    this.queues = queues;
  }

  @Override
  public SupportedApi<ElectLeadersRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<ElectLeadersResponseData> handle(RequestContext context, ElectLeadersRequestData request) {
    byte type = request.electionType();
    if (type != ElectionType.PREFERRED.value && type != ElectionType.UNCLEAN.value) {
      throw new InvalidRequestException("Unknown election type " + request.electionType());
    }
    ElectLeadersResponseData answer = new ElectLeadersResponseData().setErrorCode(Errors.NONE.code());
    if (request.topicPartitions() == null) {
      return CompletableFuture.completedFuture(answer);
    }
    Set<String> topics = new LinkedHashSet<>();
    request.topicPartitions().forEach(topic -> topics.add(topic.topic()));
    return KnownPartitions.of(queues, topics).thenApply(known -> {
      for (TopicPartitions topic : request.topicPartitions()) {
        ReplicaElectionResult result = new ReplicaElectionResult().setTopic(topic.topic());
        for (int partition : topic.partitions()) {
          boolean exists = known.contains(topic.topic(), partition);
          Errors error = exists ? Errors.ELECTION_NOT_NEEDED : Errors.UNKNOWN_TOPIC_OR_PARTITION;
          result.partitionResult().add(new PartitionResult().setPartitionId(partition).setErrorCode(error.code())
              .setErrorMessage(exists ? NOT_NEEDED : error.message()));
        }
        answer.replicaElectionResults().add(result);
      }
      return answer;
    });
  }

  @Override
  public ElectLeadersResponseData errorResponse(RequestContext context, ElectLeadersRequestData request,
      Errors error) {
    ElectLeadersResponseData answer = new ElectLeadersResponseData().setErrorCode(error.code());
    if (request.topicPartitions() != null) {
      for (TopicPartitions topic : request.topicPartitions()) {
        ReplicaElectionResult result = new ReplicaElectionResult().setTopic(topic.topic());
        topic.partitions().forEach(partition -> result.partitionResult().add(new PartitionResult()
            .setPartitionId(partition).setErrorCode(error.code()).setErrorMessage(error.message())));
        answer.replicaElectionResults().add(result);
      }
    }
    return answer;
  }
}
