package dev.queenj.kafka.group;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Heartbeat (key 12), v0–4: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin,
 * UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION / FENCED_INSTANCE_ID that it is no longer the member it thinks.
 */
public final class HeartbeatHandler implements ApiHandler<HeartbeatRequestData, HeartbeatResponseData> {
  private static final SupportedApi<HeartbeatRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.HEARTBEAT, 0, 4, HeartbeatRequestData.class);

  private final GroupCoordinator coordinator;

  public HeartbeatHandler(GroupCoordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public SupportedApi<HeartbeatRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<HeartbeatResponseData> handle(RequestContext context, HeartbeatRequestData request) {
    return coordinator.heartbeat(request.groupId(), request.memberId(), request.groupInstanceId(),
        request.generationId()).thenApply(error -> new HeartbeatResponseData().setErrorCode(error.code()));
  }

  @Override
  public HeartbeatResponseData errorResponse(RequestContext context, HeartbeatRequestData request, Errors error) {
    return new HeartbeatResponseData().setErrorCode(error.code());
  }
}
