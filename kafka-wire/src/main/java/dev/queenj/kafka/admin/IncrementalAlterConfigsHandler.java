package dev.queenj.kafka.admin;

import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.KafkaErrors;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import dev.queenj.kafka.metadata.SingleNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
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
 * (they come from the server's settings). A resource's changes apply all or none; {@code validate_only} changes
 * nothing.
 */
public final class IncrementalAlterConfigsHandler
    implements ApiHandler<IncrementalAlterConfigsRequestData, IncrementalAlterConfigsResponseData> {
  private static final SupportedApi<IncrementalAlterConfigsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1, IncrementalAlterConfigsRequestData.class);
  private static final String THIS_BROKER = String.valueOf(SingleNode.NODE_ID);
  private static final String DEFAULT_BROKER = "";

  private final QueueCatalog queues;

  private record ResourceKey(byte type, String name) {}

  public IncrementalAlterConfigsHandler(QueueCatalog queues) {
    this.queues = queues;
  }

  @Override
  public SupportedApi<IncrementalAlterConfigsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<IncrementalAlterConfigsResponseData> handle(RequestContext context,
      IncrementalAlterConfigsRequestData request) {
    Map<ResourceKey, Integer> mentions = new HashMap<>();
    request.resources().forEach(resource -> mentions.merge(key(resource), 1, Integer::sum));
    List<CompletableFuture<AlterConfigsResourceResponse>> results = new ArrayList<>();
    for (AlterConfigsResource resource : request.resources()) {
      CompletionStage<Void> altered;
      try {
        if (mentions.get(key(resource)) > 1) {
          throw new InvalidRequestException("Resource " + resource.resourceName() + " is named more than once.");
        }
        altered = alter(resource, request.validateOnly());
      } catch (RuntimeException e) {
        altered = CompletableFuture.failedFuture(e);
      }
      results.add(altered.handle((done, failure) -> {
        AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
            .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
        if (failure == null) {
          return result.setErrorCode(Errors.NONE.code());
        }
        Errors error = KafkaErrors.of(failure, context);
        return result.setErrorCode(error.code()).setErrorMessage(KafkaErrors.message(failure, error));
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).thenApply(all -> {
      IncrementalAlterConfigsResponseData answer = new IncrementalAlterConfigsResponseData();
      results.forEach(result -> answer.responses().add(result.join()));
      return answer;
    });
  }

  @Override
  public IncrementalAlterConfigsResponseData errorResponse(RequestContext context,
      IncrementalAlterConfigsRequestData request, Errors error) {
    IncrementalAlterConfigsResponseData answer = new IncrementalAlterConfigsResponseData();
    request.resources().forEach(resource -> answer.responses().add(new AlterConfigsResourceResponse()
        .setResourceType(resource.resourceType()).setResourceName(resource.resourceName())
        .setErrorCode(error.code()).setErrorMessage(error.message())));
    return answer;
  }

  private static ResourceKey key(AlterConfigsResource resource) {
    return new ResourceKey(resource.resourceType(), resource.resourceName());
  }

  private CompletionStage<Void> alter(AlterConfigsResource resource, boolean validateOnly) {
    ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
    String name = resource.resourceName();
    List<ConfigChange> changes = changes(resource);
    if (type == ConfigResource.Type.BROKER) {
      if (!THIS_BROKER.equals(name) && !DEFAULT_BROKER.equals(name)) {
        throw new InvalidRequestException("Unexpected broker id, expected " + THIS_BROKER
            + " or empty string, but received " + name);
      }
      throw new InvalidRequestException("Broker configs cannot be changed over Kafka; they come from the server's"
          + " settings.");
    }
    if (type != ConfigResource.Type.TOPIC) {
      throw new InvalidRequestException("Configs of " + type + " resources are not supported; topics' are.");
    }
    Topic.validate(name);
    return Stages.of(queues.find(name)).thenCompose(found -> {
      Queue queue = found.orElseThrow(() -> unknown(name));
      return Stages.of(queues.topicConfigs(List.of(queue.id()))).thenCompose(stored -> {
        Map<String, String> altered = TopicConfigs.alter(stored.getOrDefault(queue.id(), Map.of()), changes);
        if (validateOnly) {
          return CompletableFuture.<Void>completedFuture(null);
        }
        return Stages.of(queues.replaceTopicConfigs(name, altered)).thenApply(existed -> {
          if (!existed) {
            throw unknown(name);
          }
          return (Void) null;
        });
      });
    });
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

  private static UnknownTopicOrPartitionException unknown(String name) {
    return new UnknownTopicOrPartitionException("Topic " + name + " does not exist.");
  }
}
