package dev.queenj.kafka.admin;

import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.kafka.KafkaConfig;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.KafkaErrors;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * DescribeConfigs (key 32), v1–4: every supported config of a topic with its value and where it comes from (set on
 * the topic or the default), and the broker configs of node {@code 0} (also under the empty name Kafka uses for the
 * cluster-wide defaults). Synonyms (v1+) and documentation (v3+) when asked for. A request naming keys gets only
 * those it names that exist.
 */
public final class DescribeConfigsHandler
    implements ApiHandler<DescribeConfigsRequestData, DescribeConfigsResponseData> {
  private static final SupportedApi<DescribeConfigsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DESCRIBE_CONFIGS, 1, 4, DescribeConfigsRequestData.class);
  /** The first version with config types and documentation. */
  private static final short DOCUMENTED = 3;

  private final QueueCatalog queues;
  private final List<ConfigValue> brokerConfigs;
  private final BrokerResource broker;

  public DescribeConfigsHandler(QueueCatalog queues, KafkaConfig config, RetentionConfig retention,
      IntSupplier thisBroker) {
    this.queues = queues;
    this.broker = new BrokerResource(thisBroker);
    this.brokerConfigs = BrokerConfigs.of(config, retention);
  }

  @Override
  public SupportedApi<DescribeConfigsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DescribeConfigsResponseData> handle(RequestContext context,
      DescribeConfigsRequestData request) {
    Set<String> topicNames = new LinkedHashSet<>();
    for (DescribeConfigsResource resource : request.resources()) {
      if (resource.resourceType() == ConfigResource.Type.TOPIC.id() && Topic.isValid(resource.resourceName())) {
        topicNames.add(resource.resourceName());
      }
    }
    CompletionStage<Map<String, List<ConfigValue>>> topics = topicNames.isEmpty()
        ? CompletableFuture.completedFuture(Map.of()) : topicConfigs(topicNames);
    return topics.thenApply(topicValues -> {
      DescribeConfigsResponseData answer = new DescribeConfigsResponseData();
      for (DescribeConfigsResource resource : request.resources()) {
        DescribeConfigsResult result = new DescribeConfigsResult().setResourceType(resource.resourceType())
            .setResourceName(resource.resourceName());
        try {
          List<ConfigValue> values = values(resource, topicValues);
          result.setErrorCode(Errors.NONE.code()).setConfigs(described(context, request, resource, values));
        } catch (RuntimeException e) {
          Errors error = KafkaErrors.of(e, context);
          result.setErrorCode(error.code()).setErrorMessage(KafkaErrors.message(e, error));
        }
        answer.results().add(result);
      }
      return answer;
    });
  }

  @Override
  public DescribeConfigsResponseData errorResponse(RequestContext context, DescribeConfigsRequestData request,
      Errors error) {
    DescribeConfigsResponseData answer = new DescribeConfigsResponseData();
    request.resources().forEach(resource -> answer.results().add(new DescribeConfigsResult()
        .setResourceType(resource.resourceType()).setResourceName(resource.resourceName())
        .setErrorCode(error.code()).setErrorMessage(error.message())));
    return answer;
  }

  /** Every supported config of each existing topic of these names, by name. */
  private CompletionStage<Map<String, List<ConfigValue>>> topicConfigs(Set<String> names) {
    return Stages.of(queues.named(names)).thenCompose(found -> Stages.of(
        queues.topicConfigs(found.stream().map(Queue::id).toList())).thenApply(stored -> found.stream().collect(
            Collectors.toMap(Queue::name, queue -> TopicConfigs.of(stored.getOrDefault(queue.id(), Map.of()))))));
  }

  private List<ConfigValue> values(DescribeConfigsResource resource, Map<String, List<ConfigValue>> topics) {
    ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
    String name = resource.resourceName();
    if (type == ConfigResource.Type.TOPIC) {
      Topic.validate(name);
      List<ConfigValue> values = topics.get(name);
      if (values == null) {
        throw new UnknownTopicOrPartitionException("Topic " + name + " does not exist.");
      }
      return values;
    }
    if (type == ConfigResource.Type.BROKER) {
      broker.check(name);
      return brokerConfigs;
    }
    throw new InvalidRequestException("Configs of " + type + " resources are not supported; topics and broker "
        + broker.name() + " are.");
  }

  private static List<DescribeConfigsResourceResult> described(RequestContext context,
      DescribeConfigsRequestData request, DescribeConfigsResource resource, List<ConfigValue> values) {
    Map<String, ConfigValue> byName = values.stream()
        .collect(Collectors.toMap(ConfigValue::name, Function.identity()));
    List<ConfigValue> wanted = resource.configurationKeys() == null ? values
        : resource.configurationKeys().stream().distinct().map(byName::get).filter(value -> value != null).toList();
    boolean documented = context.apiVersion() >= DOCUMENTED;
    List<DescribeConfigsResourceResult> configs = new ArrayList<>(wanted.size());
    for (ConfigValue value : wanted) {
      DescribeConfigsResourceResult config = new DescribeConfigsResourceResult().setName(value.name())
          .setValue(value.value()).setReadOnly(value.readOnly()).setConfigSource(value.source().id())
          .setIsSensitive(false);
      if (request.includeSynonyms()) {
        config.setSynonyms(synonyms(value));
      }
      if (documented) {
        config.setConfigType(value.definition().type().id());
        if (request.includeDocumentation()) {
          config.setDocumentation(value.definition().documentation());
        }
      }
      configs.add(config);
    }
    return configs;
  }

  /** Where the value could come from, most specific first, as Kafka lists them: the topic's own, then the default. */
  private static List<DescribeConfigsSynonym> synonyms(ConfigValue value) {
    List<DescribeConfigsSynonym> synonyms = new ArrayList<>(2);
    ConfigDefinition definition = value.definition();
    if (value.source() != ConfigSource.DEFAULT_CONFIG) {
      synonyms.add(new DescribeConfigsSynonym().setName(definition.name()).setValue(value.value())
          .setSource(value.source().id()));
    }
    if (definition.brokerSynonym() != null) {
      synonyms.add(new DescribeConfigsSynonym().setName(definition.brokerSynonym())
          .setValue(definition.defaultValue()).setSource(ConfigSource.DEFAULT_CONFIG.id()));
    } else if (value.source() == ConfigSource.DEFAULT_CONFIG) {
      synonyms.add(new DescribeConfigsSynonym().setName(definition.name()).setValue(value.value())
          .setSource(ConfigSource.DEFAULT_CONFIG.id()));
    }
    return synonyms;
  }
}
