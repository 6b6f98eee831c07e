package dev.queenj.kafka.group;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * LeaveGroup (key 13), v0–5: members leave and the others rebalance. Before v3 one member and one error; since,
 * a batch of members (static ones by {@code group.instance.id}) with an error each.
 */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequestData, LeaveGroupResponseData> {
  private static final SupportedApi<LeaveGroupRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.LEAVE_GROUP, 0, 5, LeaveGroupRequestData.class);
  private static final short BATCHED = 3;

  private final GroupCoordinator coordinator;

  public LeaveGroupHandler(GroupCoordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public SupportedApi<LeaveGroupRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<LeaveGroupResponseData> handle(RequestContext context, LeaveGroupRequestData request) {
    boolean batched = context.apiVersion() >= BATCHED;
    List<Map.Entry<String, String>> leaving = new ArrayList<>();
    if (batched) {
      for (MemberIdentity member : request.members()) {
        leaving.add(new SimpleEntry<>(member.memberId(), member.groupInstanceId()));
      }
    } else {
      leaving.add(new SimpleEntry<>(request.memberId(), null));
    }
    return coordinator.leave(request.groupId(), leaving).thenApply(errors -> {
      LeaveGroupResponseData answer = new LeaveGroupResponseData().setErrorCode(Errors.NONE.code());
      if (!batched) {
        return answer.setErrorCode(errors.get(0).code());
      }
      for (int i = 0; i < errors.size(); i++) {
        answer.members().add(new MemberResponse().setMemberId(leaving.get(i).getKey())
            .setGroupInstanceId(leaving.get(i).getValue()).setErrorCode(errors.get(i).code()));
      }
      return answer;
    });
  }

  @Override
  public LeaveGroupResponseData errorResponse(RequestContext context, LeaveGroupRequestData request, Errors error) {
    return new LeaveGroupResponseData().setErrorCode(error.code());
  }
}
