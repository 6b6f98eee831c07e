package dev.queenj.kafka.group;

import dev.queenj.core.kafkatxn.KafkaTransactions;
import dev.queenj.core.kafkatxn.ProducerIdentity;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * TxnOffsetCommit (key 28), v0–4: a transactional producer commits a consumer group's offsets inside its
 * transaction ({@code sendOffsetsToTransaction}). v3+ name the consumer's member and generation, checked against the
 * live group (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID: a consumer that lost its partitions must
 * not commit for them). The offsets are staged and become the group's committed offsets only when the transaction
 * commits. v5 belongs to transactions v2 and is not served.
 */
public final class TxnOffsetCommitHandler
    implements ApiHandler<TxnOffsetCommitRequestData, TxnOffsetCommitResponseData> {
  private static final SupportedApi<TxnOffsetCommitRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.TXN_OFFSET_COMMIT, 0, 4, TxnOffsetCommitRequestData.class);

  private final GroupCoordinator coordinator;
  private final KafkaTransactions transactions;

  public TxnOffsetCommitHandler(GroupCoordinator coordinator, KafkaTransactions transactions) {
    this.coordinator = coordinator;
    this.transactions = transactions;
  }

  @Override
  public SupportedApi<TxnOffsetCommitRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<TxnOffsetCommitResponseData> handle(RequestContext context,
      TxnOffsetCommitRequestData request) {
    List<PartitionCommit> commits = new ArrayList<>();
    for (TxnOffsetCommitRequestTopic topic : request.topics()) {
      for (TxnOffsetCommitRequestPartition partition : topic.partitions()) {
        commits.add(new PartitionCommit(topic.name(), partition.partitionIndex(), partition.committedOffset(),
            partition.committedLeaderEpoch(), partition.committedMetadata()));
      }
    }
    ProducerIdentity producer = new ProducerIdentity(request.producerId(), request.producerEpoch());
    return coordinator.commitTransactionalOffsets(request.groupId(), request.memberId(), request.groupInstanceId(),
        request.generationId(), commits, rows -> transactions.stageOffsets(request.transactionalId(), producer,
            request.groupId(), rows))
        .thenApply(errors -> answer(request, errors, Errors.NONE));
  }

  private static TxnOffsetCommitResponseData answer(TxnOffsetCommitRequestData request,
      Map<TopicPartition, Errors> errors, Errors otherwise) {
    TxnOffsetCommitResponseData answer = new TxnOffsetCommitResponseData();
    for (TxnOffsetCommitRequestTopic topic : request.topics()) {
      TxnOffsetCommitResponseTopic answered = new TxnOffsetCommitResponseTopic().setName(topic.name());
      for (TxnOffsetCommitRequestPartition partition : topic.partitions()) {
        Errors error = errors.getOrDefault(new TopicPartition(topic.name(), partition.partitionIndex()), otherwise);
        answered.partitions().add(new TxnOffsetCommitResponsePartition()
            .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
      }
      answer.topics().add(answered);
    }
    return answer;
  }

  @Override
  public TxnOffsetCommitResponseData errorResponse(RequestContext context, TxnOffsetCommitRequestData request,
      Errors error) {
    return answer(request, Map.of(), error);
  }
}
