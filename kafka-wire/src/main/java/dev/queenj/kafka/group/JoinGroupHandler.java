package dev.queenj.kafka.group;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupRequest;

/**
 * JoinGroup (key 11), v0–9: parked until the group's join phase ends, then answered with the generation (the leader
 * also gets every member's subscription). v4+ joins in two steps (MEMBER_ID_REQUIRED); v5+ static members
 * ({@code group.instance.id}); v9 lets a replaced static leader skip assigning again.
 */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequestData, JoinGroupResponseData> {
  private static final SupportedApi<JoinGroupRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.JOIN_GROUP, 0, 9, JoinGroupRequestData.class);
  /** Before v7 the protocol name is not nullable. */
  private static final short NULLABLE_PROTOCOL_NAME = 7;

  private final GroupCoordinator coordinator;

  public JoinGroupHandler(GroupCoordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public SupportedApi<JoinGroupRequestData> supported() {
    return SUPPORTED;
  }

  /** A JoinGroup waits for the other members to join, until the rebalance timeout. */
  @Override
  public long heldMs(JoinGroupRequestData request) {
    return HELD_BY_GROUP_TIMERS;
  }

  @Override
  public CompletionStage<JoinGroupResponseData> handle(RequestContext context, JoinGroupRequestData request) {
    short version = context.apiVersion();
    List<Protocol> protocols = new ArrayList<>(request.protocols().size());
    for (JoinGroupRequestProtocol protocol : request.protocols()) {
      protocols.add(new Protocol(protocol.name(), protocol.metadata()));
    }
    // v0 has no rebalance timeout: the session timeout was both
    int rebalanceTimeout = version == 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
    JoinRequest join = new JoinRequest(request.memberId(), request.groupInstanceId(), context.header().clientId(),
        clientHost(context), request.sessionTimeoutMs(), rebalanceTimeout, request.protocolType(), protocols,
        JoinGroupRequest.requiresKnownMemberId(version), JoinGroupRequest.supportsSkippingAssignment(version));
    return coordinator.join(request.groupId(), join).thenApply(answer -> fitted(answer, version));
  }

  @Override
  public JoinGroupResponseData errorResponse(RequestContext context, JoinGroupRequestData request, Errors error) {
    return fitted(new JoinGroupResponseData().setErrorCode(error.code()).setGenerationId(-1)
        .setProtocolName(null).setLeader("").setMemberId(request.memberId()), context.apiVersion());
  }

  private static JoinGroupResponseData fitted(JoinGroupResponseData answer, short version) {
    if (version < NULLABLE_PROTOCOL_NAME && answer.protocolName() == null) {
      answer.setProtocolName("");
    }
    return answer;
  }

  /** As Kafka shows it in DescribeGroups: the peer's address with a leading slash. */
  static String clientHost(RequestContext context) {
    return context.client() instanceof InetSocketAddress address && address.getAddress() != null
        ? address.getAddress().toString() : String.valueOf(context.client());
  }
}
