package dev.queenj.kafka.txn;

import dev.queenj.core.kafkatxn.KafkaTransactions;
import dev.queenj.core.kafkatxn.ProducerIdentity;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;

/**
 * EndTxn (key 26), v0–4: commits or aborts the producer's transaction, answered once the Postgres transaction that
 * appended (or dropped) everything it staged committed. v5 belongs to transactions v2 (KIP-890, the epoch bumped on
 * every end) and is not served, nor is the {@code transaction.version} feature advertised.
 */
public final class EndTxnHandler implements ApiHandler<EndTxnRequestData, EndTxnResponseData> {
  private static final SupportedApi<EndTxnRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.END_TXN, 0, 4, EndTxnRequestData.class);

  private final KafkaTransactions transactions;

  public EndTxnHandler(KafkaTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public SupportedApi<EndTxnRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<EndTxnResponseData> handle(RequestContext context, EndTxnRequestData request) {
    return Stages.of(transactions.end(request.transactionalId(),
        new ProducerIdentity(request.producerId(), request.producerEpoch()), request.committed()))
        .thenApply(done -> new EndTxnResponseData().setErrorCode(Errors.NONE.code())
            .setProducerId(RecordBatch.NO_PRODUCER_ID).setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH));
  }

  @Override
  public EndTxnResponseData errorResponse(RequestContext context, EndTxnRequestData request, Errors error) {
    return new EndTxnResponseData().setErrorCode(error.code()).setProducerId(RecordBatch.NO_PRODUCER_ID)
        .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
  }
}
