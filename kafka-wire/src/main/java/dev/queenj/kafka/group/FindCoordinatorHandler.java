package dev.queenj.kafka.group;

import dev.queenj.core.cluster.ClusterView;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import dev.queenj.kafka.metadata.Broker;
import dev.queenj.kafka.metadata.Brokers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;

/**
 * FindCoordinator (key 10), v0–5: the coordinator of a consumer group is the instance holding the group's lease
 * ({@link GroupCoordinator#coordinatorOf}: this one when nobody held it), at its endpoint on the client's listener;
 * COORDINATOR_NOT_AVAILABLE while the owner is not reachable (it died and its lease has not expired yet), which
 * clients retry. The coordinator of a transactional id is the instance asked: a producer's id, epoch and transaction
 * live in Postgres, and fencing is decided there by whichever instance serves it. v4+ asks for several keys at once.
 * Share-group keys are refused (INVALID_REQUEST): share groups are not served.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequestData,
    FindCoordinatorResponseData> {
  private static final SupportedApi<FindCoordinatorRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.FIND_COORDINATOR, 0, 5, FindCoordinatorRequestData.class);
  /** The first version that batches keys. */
  private static final short BATCHED = 4;

  private final GroupCoordinator coordinator;
  private final Brokers brokers;

  public FindCoordinatorHandler(GroupCoordinator coordinator, Brokers brokers) {
    this.coordinator = coordinator;
    this.brokers = brokers;
  }

  @Override
  public SupportedApi<FindCoordinatorRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<FindCoordinatorResponseData> handle(RequestContext context,
      FindCoordinatorRequestData request) {
    List<String> keys = context.apiVersion() >= BATCHED ? request.coordinatorKeys()
        : Collections.singletonList(request.key());
    return Stages.of(brokers.view()).thenCompose(view -> {
      List<CompletableFuture<Coordinator>> found = new ArrayList<>(keys.size());
      for (String key : keys) {
        found.add(find(view, context, request.keyType(), key).toCompletableFuture());
      }
      return CompletableFuture.allOf(found.toArray(new CompletableFuture<?>[0])).thenApply(all -> {
        FindCoordinatorResponseData answer = new FindCoordinatorResponseData();
        if (context.apiVersion() >= BATCHED) {
          found.forEach(coordinator -> answer.coordinators().add(coordinator.join()));
        } else {
          Coordinator one = found.get(0).join();
          answer.setErrorCode(one.errorCode()).setErrorMessage(one.errorMessage()).setNodeId(one.nodeId())
              .setHost(one.host()).setPort(one.port());
        }
        return answer;
      });
    });
  }

  private CompletionStage<Coordinator> find(ClusterView view, RequestContext context, byte keyType, String key) {
    Coordinator found = new Coordinator().setKey(key);
    boolean transaction = keyType == CoordinatorType.TRANSACTION.id();
    if (keyType != CoordinatorType.GROUP.id() && !transaction) {
      return CompletableFuture.completedFuture(failed(found, Errors.INVALID_REQUEST));
    }
    if (key == null || key.isEmpty()) {
      return CompletableFuture.completedFuture(failed(found,
          transaction ? Errors.INVALID_REQUEST : Errors.INVALID_GROUP_ID));
    }
    CompletionStage<String> owner = transaction ? CompletableFuture.completedFuture(view.self().instanceId())
        : coordinator.coordinatorOf(key);
    return owner.thenApply(instanceId -> {
      // the owner may be dead with its lease not expired yet, or of another cluster name: clients ask again
      Broker broker = view.instance(instanceId).map(instance -> brokers.node(view, context, instance.nodeId()))
          .orElse(null);
      return broker == null ? failed(found, Errors.COORDINATOR_NOT_AVAILABLE)
          : found.setErrorCode(Errors.NONE.code()).setErrorMessage(null).setNodeId(broker.nodeId())
              .setHost(broker.host()).setPort(broker.port());
    });
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
