package dev.queenj.kafka.acl;

import dev.queenj.core.acl.AclStore;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeAcls (key 29), v1–3: the stored ACLs the filter matches (ANY and MATCH pattern filters, Kafka's own
 * matching), read from storage so that what another instance stored a moment ago is listed.
 */
public final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequestData, DescribeAclsResponseData> {
  private static final SupportedApi<DescribeAclsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DESCRIBE_ACLS, 1, 3, DescribeAclsRequestData.class);

  private final AclStore store;
  private final boolean enabled;

  public DescribeAclsHandler(AclStore store, boolean enabled) {
    this.store = store;
    this.enabled = enabled;
  }

  @Override
  public SupportedApi<DescribeAclsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DescribeAclsResponseData> handle(RequestContext context, DescribeAclsRequestData request) {
    if (!enabled) {
      return CompletableFuture.completedFuture(errorResponse(context, request, Errors.SECURITY_DISABLED));
    }
    AclBindingFilter filter = new AclBindingFilter(
        new ResourcePatternFilter(ResourceType.fromCode(request.resourceTypeFilter()), request.resourceNameFilter(),
            PatternType.fromCode(request.patternTypeFilter())),
        new AccessControlEntryFilter(request.principalFilter(), request.hostFilter(),
            AclOperation.fromCode(request.operation()), AclPermissionType.fromCode(request.permissionType())));
    return Stages.of(store.list()).thenApply(stored -> {
      List<AclBinding> matching = stored.stream().map(acl -> KafkaAcls.toKafka(acl.binding()))
          .filter(filter::matches).toList();
      return new DescribeAclsResponseData().setResources(DescribeAclsResponse.aclsResources(matching));
    });
  }

  @Override
  public DescribeAclsResponseData errorResponse(RequestContext context, DescribeAclsRequestData request,
      Errors error) {
    return new DescribeAclsResponseData().setErrorCode(error.code())
        .setErrorMessage(error == Errors.SECURITY_DISABLED ? "No Authorizer is configured." : error.message());
  }
}
