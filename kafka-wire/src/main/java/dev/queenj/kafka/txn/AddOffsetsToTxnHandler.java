package dev.queenj.kafka.txn;

import dev.queenj.core.kafkatxn.KafkaTransactions;
import dev.queenj.core.kafkatxn.ProducerIdentity;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddOffsetsToTxn (key 25), v0–4: a consumer group joins the transaction ({@code sendOffsetsToTransaction}), after
 * which the producer commits the group's offsets in it with TxnOffsetCommit (sent here too: this node coordinates
 * every group).
 */
public final class AddOffsetsToTxnHandler
    implements ApiHandler<AddOffsetsToTxnRequestData, AddOffsetsToTxnResponseData> {
  private static final SupportedApi<AddOffsetsToTxnRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.ADD_OFFSETS_TO_TXN, 0, 4, AddOffsetsToTxnRequestData.class);

  private final KafkaTransactions transactions;

  public AddOffsetsToTxnHandler(KafkaTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public SupportedApi<AddOffsetsToTxnRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<AddOffsetsToTxnResponseData> handle(RequestContext context,
      AddOffsetsToTxnRequestData request) {
    if (request.groupId() == null || request.groupId().isEmpty()) {
      return CompletableFuture.completedFuture(errorResponse(context, request, Errors.INVALID_GROUP_ID));
    }
    return Stages.of(transactions.addGroup(request.transactionalId(),
        new ProducerIdentity(request.producerId(), request.producerEpoch()), request.groupId()))
        .thenApply(done -> new AddOffsetsToTxnResponseData().setErrorCode(Errors.NONE.code()));
  }

  @Override
  public AddOffsetsToTxnResponseData errorResponse(RequestContext context, AddOffsetsToTxnRequestData request,
      Errors error) {
    return new AddOffsetsToTxnResponseData().setErrorCode(error.code());
  }
}
