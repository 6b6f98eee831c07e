package dev.queenj.kafka.group;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListGroups (key 16), v0–5: every group with members or committed offsets. v4+ filters by state, v5+ by group type;
 * every group here is a classic group.
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequestData, ListGroupsResponseData> {
  private static final SupportedApi<ListGroupsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.LIST_GROUPS, 0, 5, ListGroupsRequestData.class);
  private static final String CLASSIC = "classic";

  private final GroupCoordinator coordinator;

  public ListGroupsHandler(GroupCoordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public SupportedApi<ListGroupsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<ListGroupsResponseData> handle(RequestContext context, ListGroupsRequestData request) {
    // Kafka compares states and types ignoring case
    Set<String> states = lowerCase(request.statesFilter());
    Set<String> types = lowerCase(request.typesFilter());
    return coordinator.list().thenApply(groups -> {
      ListGroupsResponseData answer = new ListGroupsResponseData().setErrorCode(Errors.NONE.code());
      if (!types.isEmpty() && !types.contains(CLASSIC)) {
        return answer;
      }
      for (GroupDescription group : groups) {
        if (states.isEmpty() || states.contains(group.state().toLowerCase(Locale.ROOT))) {
          answer.groups().add(new ListedGroup().setGroupId(group.groupId()).setProtocolType(group.protocolType())
              .setGroupState(group.state()).setGroupType(CLASSIC));
        }
      }
      return answer;
    });
  }

  private static Set<String> lowerCase(List<String> values) {
    return values.stream().map(value -> value.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  @Override
  public ListGroupsResponseData errorResponse(RequestContext context, ListGroupsRequestData request, Errors error) {
    return new ListGroupsResponseData().setErrorCode(error.code());
  }
}
