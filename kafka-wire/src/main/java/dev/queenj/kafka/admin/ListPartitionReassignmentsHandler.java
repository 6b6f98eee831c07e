package dev.queenj.kafka.admin;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListPartitionReassignments (key 46), v0: no reassignment is ever in progress (every partition has its one replica
 * on this node, see {@link AlterPartitionReassignmentsHandler}), so the answer lists none, whichever partitions were
 * asked for (Kafka too lists only the partitions being reassigned).
 */
public final class ListPartitionReassignmentsHandler
    implements ApiHandler<ListPartitionReassignmentsRequestData, ListPartitionReassignmentsResponseData> {
  private static final SupportedApi<ListPartitionReassignmentsRequestData> SUPPORTED = SupportedApi.of(
      ApiKeys.LIST_PARTITION_REASSIGNMENTS, 0, 0, ListPartitionReassignmentsRequestData.class);

  @Override
  public SupportedApi<ListPartitionReassignmentsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<ListPartitionReassignmentsResponseData> handle(RequestContext context,
      ListPartitionReassignmentsRequestData request) {
    return CompletableFuture.completedFuture(new ListPartitionReassignmentsResponseData()
        .setErrorCode(Errors.NONE.code()));
  }

  @Override
  public ListPartitionReassignmentsResponseData errorResponse(RequestContext context,
      ListPartitionReassignmentsRequestData request, Errors error) {
    return new ListPartitionReassignmentsResponseData().setErrorCode(error.code()).setErrorMessage(error.message());
  }
}
