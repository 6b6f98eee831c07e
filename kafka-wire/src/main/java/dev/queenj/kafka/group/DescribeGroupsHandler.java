package dev.queenj.kafka.group;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeGroups (key 15), v0–5: state, protocol and members of each group; member subscriptions and assignments
 * only while the group is Stable, as Kafka shows them. A group unknown here is Dead with no error (v6 would make it
 * GROUP_ID_NOT_FOUND and is not served).
 */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequestData, DescribeGroupsResponseData> {
  private static final SupportedApi<DescribeGroupsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DESCRIBE_GROUPS, 0, 5, DescribeGroupsRequestData.class);

  private final GroupCoordinator coordinator;

  public DescribeGroupsHandler(GroupCoordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public SupportedApi<DescribeGroupsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DescribeGroupsResponseData> handle(RequestContext context,
      DescribeGroupsRequestData request) {
    return coordinator.describe(request.groups()).thenApply(groups -> {
      DescribeGroupsResponseData answer = new DescribeGroupsResponseData();
      for (GroupDescription group : groups) {
        DescribedGroup described = new DescribedGroup().setGroupId(group.groupId()).setErrorCode(Errors.NONE.code())
            .setGroupState(group.state()).setProtocolType(group.protocolType())
            .setProtocolData(group.protocolName());
        for (GroupDescription.Member member : group.members()) {
          described.members().add(new DescribedGroupMember().setMemberId(member.memberId())
              .setGroupInstanceId(member.groupInstanceId()).setClientId(member.clientId())
              .setClientHost(member.clientHost()).setMemberMetadata(member.metadata())
              .setMemberAssignment(member.assignment()));
        }
        answer.groups().add(described);
      }
      return answer;
    });
  }

  @Override
  public DescribeGroupsResponseData errorResponse(RequestContext context, DescribeGroupsRequestData request,
      Errors error) {
    DescribeGroupsResponseData answer = new DescribeGroupsResponseData();
    for (String groupId : request.groups()) {
      answer.groups().add(new DescribedGroup().setGroupId(groupId).setErrorCode(error.code()).setGroupState("")
          .setProtocolType("").setProtocolData(""));
    }
    return answer;
  }
}
