package dev.queenj.kafka.group;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import dev.queenj.kafka.metadata.SingleNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;

/**
 * FindCoordinator (key 10), v0–5: the coordinator of a consumer group, and of a transactional id, is this broker
 * (node 0, where Metadata says it is). v4+ asks for several keys at once. Share-group keys are refused
 * (INVALID_REQUEST): share groups are not served.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequestData,
    FindCoordinatorResponseData> {
  private static final SupportedApi<FindCoordinatorRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.FIND_COORDINATOR, 0, 5, FindCoordinatorRequestData.class);
  /** The first version that batches keys. */
  private static final short BATCHED = 4;

  private final GroupCoordinator coordinator;
  private final String advertisedHost;

  public FindCoordinatorHandler(GroupCoordinator coordinator, String advertisedHost) {
    this.coordinator = coordinator;
    this.advertisedHost = advertisedHost;
  }

  @Override
  public SupportedApi<FindCoordinatorRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<FindCoordinatorResponseData> handle(RequestContext context,
      FindCoordinatorRequestData request) {
    FindCoordinatorResponseData answer = new FindCoordinatorResponseData();
    if (context.apiVersion() >= BATCHED) {
      for (String key : request.coordinatorKeys()) {
        answer.coordinators().add(find(context, request.keyType(), key));
      }
    } else {
      Coordinator found = find(context, request.keyType(), request.key());
      answer.setErrorCode(found.errorCode()).setErrorMessage(found.errorMessage()).setNodeId(found.nodeId())
          .setHost(found.host()).setPort(found.port());
    }
    return CompletableFuture.completedFuture(answer);
  }

  private Coordinator find(RequestContext context, byte keyType, String key) {
    Coordinator found = new Coordinator().setKey(key);
    boolean transaction = keyType == CoordinatorType.TRANSACTION.id();
    if (keyType != CoordinatorType.GROUP.id() && !transaction) {
      return failed(found, Errors.INVALID_REQUEST);
    }
    if (key == null || key.isEmpty()) {
      return failed(found, transaction ? Errors.INVALID_REQUEST : Errors.INVALID_GROUP_ID);
    }
    if (!transaction && !coordinator.coordinates(key)) {
      return failed(found, Errors.NOT_COORDINATOR);
    }
    return found.setErrorCode(Errors.NONE.code()).setErrorMessage(null).setNodeId(SingleNode.NODE_ID).setHost(advertisedHost)
        .setPort(context.listenerPort());
  }

  private static Coordinator failed(Coordinator coordinator, Errors error) {
    return coordinator.setErrorCode(error.code()).setErrorMessage(error.message()).setNodeId(-1).setHost("")
        .setPort(-1);
  }

  @Override
  public FindCoordinatorResponseData errorResponse(RequestContext context, FindCoordinatorRequestData request,
      Errors error) {
    FindCoordinatorResponseData answer = new FindCoordinatorResponseData();
    if (context.apiVersion() >= BATCHED) {
      for (String key : request.coordinatorKeys()) {
        answer.coordinators().add(failed(new Coordinator().setKey(key), error));
      }
      return answer;
    }
    return answer.setErrorCode(error.code()).setErrorMessage(error.message()).setNodeId(-1).setHost("")
        .setPort(-1);
  }
}
