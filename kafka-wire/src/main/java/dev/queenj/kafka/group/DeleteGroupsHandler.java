package dev.queenj.kafka.group;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteGroups (key 42), v0–2: deletes groups without members, with their committed offsets; NON_EMPTY_GROUP for a
 * group with members, GROUP_ID_NOT_FOUND for one that does not exist.
 */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequestData, DeleteGroupsResponseData> {
  private static final SupportedApi<DeleteGroupsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DELETE_GROUPS, 0, 2, DeleteGroupsRequestData.class);

  private final GroupCoordinator coordinator;

  public DeleteGroupsHandler(GroupCoordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public SupportedApi<DeleteGroupsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DeleteGroupsResponseData> handle(RequestContext context, DeleteGroupsRequestData request) {
    List<String> groupIds = List.copyOf(new LinkedHashSet<>(request.groupsNames()));
    List<CompletableFuture<Errors>> deletions = new ArrayList<>(groupIds.size());
    groupIds.forEach(groupId -> deletions.add(coordinator.delete(groupId).toCompletableFuture()));
    return CompletableFuture.allOf(deletions.toArray(new CompletableFuture<?>[0])).thenApply(all -> {
      DeleteGroupsResponseData answer = new DeleteGroupsResponseData();
      for (int i = 0; i < groupIds.size(); i++) {
        answer.results().add(new DeletableGroupResult().setGroupId(groupIds.get(i))
            .setErrorCode(deletions.get(i).join().code()));
      }
      return answer;
    });
  }

  @Override
  public DeleteGroupsResponseData errorResponse(RequestContext context, DeleteGroupsRequestData request,
      Errors error) {
    DeleteGroupsResponseData answer = new DeleteGroupsResponseData();
    for (String groupId : new LinkedHashSet<>(request.groupsNames())) {
      answer.results().add(new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code()));
    }
    return answer;
  }
}
