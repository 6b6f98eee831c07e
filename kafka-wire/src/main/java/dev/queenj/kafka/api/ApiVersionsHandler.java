package dev.queenj.kafka.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;

/**
 * ApiVersions (key 18), v0–4: the first request of every client, answered from the {@link ApiTable} it is registered
 * in. Versions 3+ are flexible and name the client software, which must be well-formed.
 */
final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequestData, ApiVersionsResponseData> {
  private static final short MIN_VERSION = 0;
  private static final short MAX_VERSION = 4;

  private final Supplier<ApiVersionCollection> advertised;

  ApiVersionsHandler(Supplier<ApiVersionCollection> advertised) {
    this.advertised = advertised;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.API_VERSIONS;
  }

  @Override
  public short minVersion() {
    return MIN_VERSION;
  }

  @Override
  public short maxVersion() {
    return MAX_VERSION;
  }

  @Override
  public Class<ApiVersionsRequestData> requestType() {
    return ApiVersionsRequestData.class;
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
    ApiVersionsResponseData answer = new ApiVersionsRequest(request, MIN_VERSION)
        .getErrorResponse(0, error.exception()).data();
    if (error == Errors.UNSUPPORTED_VERSION) {
      // kafka-clients lists its own ApiVersions range here; a client must retry inside ours.
      ApiVersionCollection own = new ApiVersionCollection(1);
      own.add(new ApiVersion().setApiKey(apiKey().id).setMinVersion(MIN_VERSION).setMaxVersion(MAX_VERSION));
      answer.setApiKeys(own);
    }
    return answer;
  }
}
