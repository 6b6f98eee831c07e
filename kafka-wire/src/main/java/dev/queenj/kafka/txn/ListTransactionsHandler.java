package dev.queenj.kafka.txn;

import dev.queenj.core.kafkatxn.TransactionViews;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListTransactions (key 66), v0–1: transactional ids filtered by state and producer id, and (v1) by how long their
 * transaction has been running. A state filter that is not one of Kafka's states is echoed in
 * {@code unknown_state_filters}, as Kafka does. v2 (a transactional id pattern) is not served.
 */
public final class ListTransactionsHandler
    implements ApiHandler<ListTransactionsRequestData, ListTransactionsResponseData> {
  private static final SupportedApi<ListTransactionsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.LIST_TRANSACTIONS, 0, 1, ListTransactionsRequestData.class);
  /** Kafka's transaction states; those that never occur here still filter (to nothing). */
  private static final Set<String> KAFKA_STATES = Set.of("Empty", "Ongoing", "PrepareCommit", "PrepareAbort",
      "CompleteCommit", "CompleteAbort", "Dead", "PrepareEpochFence");

  private final TransactionViews views;

  public ListTransactionsHandler(TransactionViews views) {
    this.views = views;
  }

  @Override
  public SupportedApi<ListTransactionsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<ListTransactionsResponseData> handle(RequestContext context,
      ListTransactionsRequestData request) {
    List<String> unknown = new ArrayList<>();
    request.stateFilters().forEach(state -> {
      if (!KAFKA_STATES.contains(state)) {
        unknown.add(state);
      }
    });
    return Stages.of(views.list(request.stateFilters(), request.producerIdFilters(), request.durationFilter()))
        .thenApply(listed -> {
          ListTransactionsResponseData answer = new ListTransactionsResponseData().setErrorCode(Errors.NONE.code())
              .setUnknownStateFilters(unknown);
          listed.forEach(found -> answer.transactionStates().add(new TransactionState()
              .setTransactionalId(found.transactionalId()).setProducerId(found.producerId())
              .setTransactionState(found.state().kafkaName())));
          return answer;
        });
  }

  @Override
  public ListTransactionsResponseData errorResponse(RequestContext context, ListTransactionsRequestData request,
      Errors error) {
    return new ListTransactionsResponseData().setErrorCode(error.code());
  }
}
