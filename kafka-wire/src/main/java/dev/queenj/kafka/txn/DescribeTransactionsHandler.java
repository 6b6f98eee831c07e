package dev.queenj.kafka.txn;

import dev.queenj.core.kafkatxn.TransactionDescription;
import dev.queenj.core.kafkatxn.TransactionViews;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;

/**
 * DescribeTransactions (key 65), v0: each transactional id's producer, state (Kafka's names), timeout, start time and
 * the partitions of its open transaction; an unknown id answers TRANSACTIONAL_ID_NOT_FOUND.
 */
public final class DescribeTransactionsHandler
    implements ApiHandler<DescribeTransactionsRequestData, DescribeTransactionsResponseData> {
  private static final SupportedApi<DescribeTransactionsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DESCRIBE_TRANSACTIONS, 0, 0, DescribeTransactionsRequestData.class);

  private final TransactionViews views;

  public DescribeTransactionsHandler(TransactionViews views) {
    this.views = views;
  }

  @Override
  public SupportedApi<DescribeTransactionsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DescribeTransactionsResponseData> handle(RequestContext context,
      DescribeTransactionsRequestData request) {
    return Stages.of(views.describe(request.transactionalIds())).thenApply(described -> {
      DescribeTransactionsResponseData answer = new DescribeTransactionsResponseData();
      for (String id : request.transactionalIds()) {
        TransactionDescription found = described.get(id);
        if (found == null) {
          answer.transactionStates().add(failed(id, Errors.TRANSACTIONAL_ID_NOT_FOUND));
          continue;
        }
        TransactionState state = new TransactionState().setErrorCode(Errors.NONE.code()).setTransactionalId(id)
            .setTransactionState(found.state().kafkaName()).setTransactionTimeoutMs(found.timeoutMs())
            .setTransactionStartTimeMs(found.startedAtMs()).setProducerId(found.producerId())
            .setProducerEpoch(found.epoch());
        found.partitions().forEach((topic, partitions) ->
            state.topics().add(new TopicData().setTopic(topic).setPartitions(partitions)));
        answer.transactionStates().add(state);
      }
      return answer;
    });
  }

  private static TransactionState failed(String transactionalId, Errors error) {
    return new TransactionState().setErrorCode(error.code()).setTransactionalId(transactionalId)
        .setTransactionState("").setProducerId(RecordBatch.NO_PRODUCER_ID)
        .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
  }

  @Override
  public DescribeTransactionsResponseData errorResponse(RequestContext context,
      DescribeTransactionsRequestData request, Errors error) {
    DescribeTransactionsResponseData answer = new DescribeTransactionsResponseData();
    request.transactionalIds().forEach(id -> answer.transactionStates().add(failed(id, error)));
    return answer;
  }
}
