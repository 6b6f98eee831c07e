package dev.queenj.kafka.security;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeClientQuotas (key 48), v0–1: there are no client quotas here (AlterClientQuotas is not served, so none
 * can be set), so every filter matches none. Served because {@code kafka-configs.sh --entity-type users} describes a
 * user's quotas alongside its SCRAM credentials, and would fail on the whole command without it.
 */
public final class DescribeClientQuotasHandler
    implements ApiHandler<DescribeClientQuotasRequestData, DescribeClientQuotasResponseData> {
  private static final SupportedApi<DescribeClientQuotasRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DESCRIBE_CLIENT_QUOTAS, 0, 1, DescribeClientQuotasRequestData.class);

  @Override
  public SupportedApi<DescribeClientQuotasRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DescribeClientQuotasResponseData> handle(RequestContext context,
      DescribeClientQuotasRequestData request) {
    return CompletableFuture.completedFuture(new DescribeClientQuotasResponseData().setErrorCode(Errors.NONE.code())
        .setEntries(List.of()));
  }

  @Override
  public DescribeClientQuotasResponseData errorResponse(RequestContext context, DescribeClientQuotasRequestData request,
      Errors error) {
    return new DescribeClientQuotasResponseData().setErrorCode(error.code()).setErrorMessage(error.message());
  }
}
