package dev.queenj.kafka.admin;

import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * IncrementalAlterConfigs (key 44), v0–1: changes the settable configs of topics (SET, DELETE back to the default,
 * APPEND/SUBTRACT on lists); read-only ones accept only their own value, and every broker config is read-only here
 * (they come from the server's settings; only DELETEs, which find no override to remove, succeed). A resource's
 * changes apply all or none; {@code validate_only} changes nothing.
 */
public final class IncrementalAlterConfigsHandler
    implements ApiHandler<IncrementalAlterConfigsRequestData, IncrementalAlterConfigsResponseData> {
  private static final SupportedApi<IncrementalAlterConfigsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1, IncrementalAlterConfigsRequestData.class);

  private final ConfigAlteration alteration;

  public IncrementalAlterConfigsHandler(QueueCatalog queues, IntSupplier thisBroker) {
    this.alteration = new ConfigAlteration(queues, new BrokerResource(thisBroker));
  }

  @Override
  public SupportedApi<IncrementalAlterConfigsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<IncrementalAlterConfigsResponseData> handle(RequestContext context,
      IncrementalAlterConfigsRequestData request) {
    return ConfigAlteration.eachResource(context, request.resources(), AlterConfigsResource::resourceType,
        AlterConfigsResource::resourceName, resource -> {
          List<ConfigChange> changes = changes(resource);
          boolean removesOnly = changes.stream().allMatch(change -> change.op() == AlterConfigOp.OpType.DELETE);
          return alteration.alter(resource.resourceType(), resource.resourceName(), request.validateOnly(),
              removesOnly, stored -> TopicConfigs.alter(stored, changes));
        }, IncrementalAlterConfigsHandler::outcome).thenApply(results -> {
          IncrementalAlterConfigsResponseData answer = new IncrementalAlterConfigsResponseData();
          answer.responses().addAll(results);
          return answer;
        });
  }

  @Override
  public IncrementalAlterConfigsResponseData errorResponse(RequestContext context,
      IncrementalAlterConfigsRequestData request, Errors error) {
    IncrementalAlterConfigsResponseData answer = new IncrementalAlterConfigsResponseData();
    request.resources().forEach(resource -> answer.responses().add(outcome(resource, error, error.message())));
    return answer;
  }

  private static AlterConfigsResourceResponse outcome(AlterConfigsResource resource, Errors error, String message) {
    return new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
        .setResourceName(resource.resourceName()).setErrorCode(error.code()).setErrorMessage(message);
  }

  private static List<ConfigChange> changes(AlterConfigsResource resource) {
    Set<String> names = new HashSet<>();
    List<ConfigChange> changes = new ArrayList<>();
    for (AlterableConfig config : resource.configs()) {
      if (!names.add(config.name())) {
        throw new InvalidRequestException("Config " + config.name() + " is changed more than once.");
      }
      AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
      if (op == null) {
        throw new InvalidRequestException("Unknown config operation " + config.configOperation());
      }
      changes.add(new ConfigChange(config.name(), op, config.value()));
    }
    return changes;
  }
}
