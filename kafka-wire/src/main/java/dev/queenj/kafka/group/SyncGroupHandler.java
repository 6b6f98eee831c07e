package dev.queenj.kafka.group;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * SyncGroup (key 14), v0–5: the leader hands in every member's assignment; each member, the leader too, is answered
 * with its own, byte for byte, once the leader's arrived. v5+ names the protocol, which must be the group's.
 */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequestData, SyncGroupResponseData> {
  private static final SupportedApi<SyncGroupRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.SYNC_GROUP, 0, 5, SyncGroupRequestData.class);

  private final GroupCoordinator coordinator;

  public SyncGroupHandler(GroupCoordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public SupportedApi<SyncGroupRequestData> supported() {
    return SUPPORTED;
  }

  /** A follower's SyncGroup waits for the leader's, until the rebalance ends or times out. */
  @Override
  public long heldMs(SyncGroupRequestData request) {
    return HELD_BY_GROUP_TIMERS;
  }

  @Override
  public CompletionStage<SyncGroupResponseData> handle(RequestContext context, SyncGroupRequestData request) {
    Map<String, byte[]> assignments = new HashMap<>();
    for (SyncGroupRequestAssignment assignment : request.assignments()) {
      assignments.put(assignment.memberId(), assignment.assignment());
    }
    return coordinator.sync(request.groupId(), request.memberId(), request.groupInstanceId(),
        request.generationId(), request.protocolType(), request.protocolName(), assignments);
  }

  @Override
  public SyncGroupResponseData errorResponse(RequestContext context, SyncGroupRequestData request, Errors error) {
    return new SyncGroupResponseData().setErrorCode(error.code()).setProtocolType(null).setProtocolName(null)
        .setAssignment(new byte[0]);
  }
}
