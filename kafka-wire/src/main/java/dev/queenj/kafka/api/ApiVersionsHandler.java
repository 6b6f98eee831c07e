package dev.queenj.kafka.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;

/**
 * ApiVersions (key 18), v0–4: the first request of every client, answered from the {@link ApiTable} it is registered
 * in. Versions 3+ are flexible and name the client software, which must be well-formed.
 */
final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequestData, ApiVersionsResponseData> {
  private static final SupportedApi<ApiVersionsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.API_VERSIONS, 0, 4, ApiVersionsRequestData.class);

  private final Supplier<ApiVersionCollection> advertised;

  ApiVersionsHandler(Supplier<ApiVersionCollection> advertised) {
    this.advertised = advertised;
  }

  @Override
  public SupportedApi<ApiVersionsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<ApiVersionsResponseData> handle(RequestContext context, ApiVersionsRequestData request) {
    if (!new ApiVersionsRequest(request, context.apiVersion()).isValid()) {
      return CompletableFuture.completedFuture(errorResponse(context, request, Errors.INVALID_REQUEST));
    }
    return CompletableFuture.completedFuture(new ApiVersionsResponseData().setErrorCode(Errors.NONE.code())
        .setApiKeys(advertised.get()));
  }

  @Override
  public ApiVersionsResponseData errorResponse(RequestContext context, ApiVersionsRequestData request,
      Errors error) {
    // Built as v0: the request may carry a version kafka-clients cannot represent (a client newer than us).
    ApiVersionsResponseData answer = new ApiVersionsRequest(request, (short) 0)
        .getErrorResponse(0, error.exception()).data();
    if (error == Errors.UNSUPPORTED_VERSION) {
      // kafka-clients lists its own ApiVersions range here; a client must retry inside ours.
      ApiVersionCollection own = new ApiVersionCollection(1);
      own.add(SUPPORTED.toApiVersion());
      answer.setApiKeys(own);
    }
    return answer;
  }
}
