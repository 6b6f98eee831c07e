package dev.queenj.kafka.acl;

import dev.queenj.core.acl.AclBinding;
import dev.queenj.core.acl.AclStore;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.KafkaErrors;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsRequest;

/**
 * CreateAcls (key 30), v1–3 (v0 is gone from Kafka 4, KIP-896): stores each valid ACL (one already stored is fine, as in Kafka) and answers each
 * creation with its own code; without an authorizer every creation answers SECURITY_DISABLED, as Kafka does.
 */
public final class CreateAclsHandler implements ApiHandler<CreateAclsRequestData, CreateAclsResponseData> {
  private static final SupportedApi<CreateAclsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.CREATE_ACLS, 1, 3, CreateAclsRequestData.class);

  private final AclStore store;
  private final boolean enabled;

  public CreateAclsHandler(AclStore store, boolean enabled) {
    this.store = store;
    this.enabled = enabled;
  }

  @Override
  public SupportedApi<CreateAclsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<CreateAclsResponseData> handle(RequestContext context, CreateAclsRequestData request) {
    if (!enabled) {
      return CompletableFuture.completedFuture(errorResponse(context, request, Errors.SECURITY_DISABLED));
    }
    List<AclCreationResult> results = new ArrayList<>();
    List<AclBinding> valid = new ArrayList<>();
    for (AclCreation creation : request.creations()) {
      try {
        valid.add(KafkaAcls.fromKafka(CreateAclsRequest.aclBinding(creation)));
        results.add(new AclCreationResult());
      } catch (RuntimeException e) {
        Errors error = KafkaErrors.of(e, context);
        results.add(new AclCreationResult().setErrorCode(error.code())
            .setErrorMessage(KafkaErrors.message(e, error)));
      }
    }
    return Stages.of(store.create(valid)).thenApply(done -> new CreateAclsResponseData().setResults(results));
  }

  @Override
  public CreateAclsResponseData errorResponse(RequestContext context, CreateAclsRequestData request, Errors error) {
    CreateAclsResponseData answer = new CreateAclsResponseData();
    request.creations().forEach(creation -> answer.results().add(new AclCreationResult().setErrorCode(error.code())
        .setErrorMessage(error == Errors.SECURITY_DISABLED ? "No Authorizer is configured." : error.message())));
    return answer;
  }
}
