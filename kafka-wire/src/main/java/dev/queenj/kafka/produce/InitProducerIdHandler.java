package dev.queenj.kafka.produce;

import dev.queenj.core.kafkatxn.KafkaTransactions;
import dev.queenj.core.kafkatxn.ProducerIdentity;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;

/**
 * InitProducerId (key 22), v0–5. An idempotent producer (no {@code transactional.id}) gets a producer id never handed
 * out before, at epoch 0 ({@link KafkaTransactions#initIdempotent}); its epoch bump
 * (KIP-360: a known id and epoch in the request) gets a new id too, which the Java producer accepts the same way.
 *
 * <p>A transactional producer gets its transactional id's producer id with the epoch bumped, which fences older
 * producers of the id and aborts their open transaction ({@link KafkaTransactions#init}); a new id starts at epoch 0.
 * A {@code transaction.timeout.ms} that is not positive or above {@code transaction.max.timeout.ms} is refused with
 * INVALID_TRANSACTION_TIMEOUT, an empty transactional id with INVALID_REQUEST. v6 (two-phase commit, KIP-939) is not
 * served.
 */
public final class InitProducerIdHandler
    implements ApiHandler<InitProducerIdRequestData, InitProducerIdResponseData> {
  private static final SupportedApi<InitProducerIdRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.INIT_PRODUCER_ID, 0, 5, InitProducerIdRequestData.class);

  private final KafkaTransactions transactions;
  private final int maxTransactionTimeoutMs;

  public InitProducerIdHandler(KafkaTransactions transactions, int maxTransactionTimeoutMs) {
    this.transactions = transactions;
    this.maxTransactionTimeoutMs = maxTransactionTimeoutMs;
  }

  @Override
  public SupportedApi<InitProducerIdRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<InitProducerIdResponseData> handle(RequestContext context,
      InitProducerIdRequestData request) {
    if (request.transactionalId() != null) {
      return transactional(context, request);
    }
    return Stages.of(transactions.initIdempotent()).thenApply(given ->
        new InitProducerIdResponseData().setErrorCode(Errors.NONE.code()).setProducerId(given.producerId())
            .setProducerEpoch(given.epoch()));
  }

  private CompletionStage<InitProducerIdResponseData> transactional(RequestContext context,
      InitProducerIdRequestData request) {
    if (request.transactionalId().isEmpty()) {
      return CompletableFuture.completedFuture(errorResponse(context, request, Errors.INVALID_REQUEST));
    }
    int timeoutMs = request.transactionTimeoutMs();
    if (timeoutMs <= 0 || timeoutMs > maxTransactionTimeoutMs) {
      return CompletableFuture.completedFuture(errorResponse(context, request, Errors.INVALID_TRANSACTION_TIMEOUT));
    }
    ProducerIdentity expected = request.producerId() == RecordBatch.NO_PRODUCER_ID ? null
        : new ProducerIdentity(request.producerId(), request.producerEpoch());
    return Stages.of(transactions.init(request.transactionalId(), timeoutMs, expected)).thenApply(given ->
        new InitProducerIdResponseData().setErrorCode(Errors.NONE.code()).setProducerId(given.producerId())
            .setProducerEpoch(given.epoch()));
  }

  @Override
  public InitProducerIdResponseData errorResponse(RequestContext context, InitProducerIdRequestData request,
      Errors error) {
    return new InitProducerIdResponseData().setErrorCode(error.code()).setProducerId(RecordBatch.NO_PRODUCER_ID)
        .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
  }
}
