package dev.queenj.kafka.wire;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;

/** A Metadata handler (v0–12) whose answers the test gives, in whatever order it likes, when it likes. */
final class PendingMetadata implements ApiHandler<MetadataRequestData, MetadataResponseData> {
  final Deque<CompletableFuture<MetadataResponseData>> calls = new ArrayDeque<>();

  @Override
  public SupportedApi<MetadataRequestData> supported() {
    return SupportedApi.of(ApiKeys.METADATA, 0, 12, MetadataRequestData.class);
  }

  @Override
  public CompletionStage<MetadataResponseData> handle(RequestContext context, MetadataRequestData request) {
    CompletableFuture<MetadataResponseData> answer = new CompletableFuture<>();
    calls.add(answer);
    return answer;
  }

  @Override
  public MetadataResponseData errorResponse(RequestContext context, MetadataRequestData request, Errors error) {
    return ((MetadataResponse) new MetadataRequest(request, context.apiVersion())
        .getErrorResponse(0, error.exception())).data();
  }

  /** An answer naming one topic, so responses can be told apart. */
  static MetadataResponseData naming(String topic) {
    MetadataResponseData answer = new MetadataResponseData().setClusterId("test").setControllerId(0);
    answer.topics().add(new MetadataResponseData.MetadataResponseTopic().setName(topic));
    return answer;
  }
}
