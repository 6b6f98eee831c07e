package dev.queenj.kafka.admin;

import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterConfigs (key 33), v0–2, the legacy API Admin's deprecated {@code alterConfigs} and older tools use: a topic's
 * configs become exactly those named (the others return to their defaults), validated as IncrementalAlterConfigs
 * validates them ({@link TopicConfigs}); broker configs are refused, nothing changed, as they come from the server's
 * settings. A resource's configs apply all or none; {@code validate_only} changes nothing.
 */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequestData, AlterConfigsResponseData> {
  private static final SupportedApi<AlterConfigsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.ALTER_CONFIGS, 0, 2, AlterConfigsRequestData.class);

  private final ConfigAlteration alteration;

  public AlterConfigsHandler(QueueCatalog queues, IntSupplier thisBroker) {
    this.alteration = new ConfigAlteration(queues, new BrokerResource(thisBroker));
  }

  @Override
  public SupportedApi<AlterConfigsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<AlterConfigsResponseData> handle(RequestContext context, AlterConfigsRequestData request) {
    return ConfigAlteration.eachResource(context, request.resources(), AlterConfigsResource::resourceType,
        AlterConfigsResource::resourceName, resource -> {
          Map<String, String> configs = configs(resource);
          // a legacy AlterConfigs replaces a broker's overrides whole: with none named it removes them all
          return alteration.alter(resource.resourceType(), resource.resourceName(), request.validateOnly(),
              configs.isEmpty(), stored -> TopicConfigs.toStore(configs));
        }, AlterConfigsHandler::outcome).thenApply(results -> {
          AlterConfigsResponseData answer = new AlterConfigsResponseData();
          answer.responses().addAll(results);
          return answer;
        });
  }

  @Override
  public AlterConfigsResponseData errorResponse(RequestContext context, AlterConfigsRequestData request,
      Errors error) {
    AlterConfigsResponseData answer = new AlterConfigsResponseData();
    request.resources().forEach(resource -> answer.responses().add(outcome(resource, error, error.message())));
    return answer;
  }

  private static AlterConfigsResourceResponse outcome(AlterConfigsResource resource, Errors error, String message) {
    return new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
        .setResourceName(resource.resourceName()).setErrorCode(error.code()).setErrorMessage(message);
  }

  private static Map<String, String> configs(AlterConfigsResource resource) {
    Map<String, String> configs = new LinkedHashMap<>();
    for (AlterableConfig config : resource.configs()) {
      if (configs.containsKey(config.name())) {
        throw new InvalidRequestException("Config " + config.name() + " is named more than once.");
      }
      configs.put(config.name(), config.value());
    }
    return configs;
  }
}
