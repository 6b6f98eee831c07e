package dev.queenj.kafka.acl;

import dev.queenj.core.acl.AclStore;
import dev.queenj.core.acl.StoredAcl;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;

/**
 * DeleteAcls (key 31), v1–3: deletes every stored ACL any filter matches and answers, per filter, the ACLs it
 * deleted (an ACL two filters match is deleted once, and listed under both, as in Kafka).
 */
public final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequestData, DeleteAclsResponseData> {
  private static final SupportedApi<DeleteAclsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DELETE_ACLS, 1, 3, DeleteAclsRequestData.class);

  private final AclStore store;
  private final boolean enabled;

  public DeleteAclsHandler(AclStore store, boolean enabled) {
    this.store = store;
    this.enabled = enabled;
  }

  @Override
  public SupportedApi<DeleteAclsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DeleteAclsResponseData> handle(RequestContext context, DeleteAclsRequestData request) {
    if (!enabled) {
      return CompletableFuture.completedFuture(errorResponse(context, request, Errors.SECURITY_DISABLED));
    }
    List<AclBindingFilter> filters = new DeleteAclsRequest.Builder(request).build(context.apiVersion()).filters();
    return Stages.of(store.list().compose(stored -> {
      Set<Long> ids = new LinkedHashSet<>();
      for (AclBindingFilter filter : filters) {
        stored.stream().filter(acl -> filter.matches(KafkaAcls.toKafka(acl.binding()))).forEach(acl -> ids.add(acl.id()));
      }
      return store.delete(new ArrayList<>(ids));
    })).thenApply(deleted -> {
      DeleteAclsResponseData answer = new DeleteAclsResponseData();
      for (AclBindingFilter filter : filters) {
        answer.filterResults().add(new DeleteAclsFilterResult().setMatchingAcls(deleted.stream()
            .map(StoredAcl::binding).map(KafkaAcls::toKafka).filter(filter::matches)
            .map(acl -> DeleteAclsResponse.matchingAcl(acl, ApiError.NONE)).collect(Collectors.toList())));
      }
      return answer;
    });
  }

  @Override
  public DeleteAclsResponseData errorResponse(RequestContext context, DeleteAclsRequestData request, Errors error) {
    DeleteAclsResponseData answer = new DeleteAclsResponseData();
    request.filters().forEach(filter -> answer.filterResults().add(new DeleteAclsFilterResult()
        .setErrorCode(error.code())
        .setErrorMessage(error == Errors.SECURITY_DISABLED ? "No Authorizer is configured." : error.message())));
    return answer;
  }
}
