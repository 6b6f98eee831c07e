package dev.queenj.kafka.admin;

import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.KafkaErrors;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;

/**
 * What both AlterConfigs APIs (the legacy full replacement and the incremental one) do with the resources of a
 * request: each resource altered on its own, all its changes or none, and answered with its own outcome; a resource
 * named twice refused; topic configs validated by {@link TopicConfigs} and stored unless {@code validate_only}; broker
 * configs refused, since they come from the server's settings and nothing changes them over Kafka (removing
 * overrides, of which there are none, is accepted).
 */
final class ConfigAlteration {
  private final QueueCatalog queues;
  private final BrokerResource broker;

  private record ResourceKey(byte type, String name) {}

  ConfigAlteration(QueueCatalog queues, BrokerResource broker) {
    this.queues = queues;
    this.broker = broker;
  }

  /** One resource's answer in the API's own response type: its error (NONE) and message (null with NONE). */
  @FunctionalInterface
  interface Outcome<R, A> {
    A of(R resource, Errors error, String message);
  }

  /**
   * Alters every resource with {@code alter}, which fails its resource by throwing or failing its stage, and answers
   * each resource's outcome, mapped by {@link KafkaErrors}, as {@code outcome} writes it, in request order.
   */
  static <R, A> CompletionStage<List<A>> eachResource(RequestContext context, Collection<R> resources,
      Function<R, Byte> type, Function<R, String> name, Function<R, CompletionStage<Void>> alter,
      Outcome<R, A> outcome) {
    Map<ResourceKey, Integer> mentions = new HashMap<>();
    resources.forEach(resource -> mentions.merge(new ResourceKey(type.apply(resource), name.apply(resource)), 1,
        Integer::sum));
    List<CompletableFuture<A>> results = new ArrayList<>(resources.size());
    for (R resource : resources) {
      CompletionStage<Void> altered;
      try {
        if (mentions.get(new ResourceKey(type.apply(resource), name.apply(resource))) > 1) {
          throw new InvalidRequestException("Resource " + name.apply(resource) + " is named more than once.");
        }
        altered = alter.apply(resource);
      } catch (RuntimeException e) {
        altered = CompletableFuture.failedFuture(e);
      }
      results.add(altered.handle((done, failure) -> {
        if (failure == null) {
          return outcome.of(resource, Errors.NONE, null);
        }
        Errors error = KafkaErrors.of(failure, context);
        return outcome.of(resource, error, KafkaErrors.message(failure, error));
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
        .thenApply(all -> results.stream().map(CompletableFuture::join).toList());
  }

  /**
   * Replaces the stored configs of the topic {@code name} with what {@code alter} makes of them (it validates, and
   * throws for invalid configs), or refuses a broker or other resource. A broker's configs are never overridden over
   * Kafka, so a change that only removes overrides ({@code removesOnly}: kafka-reassign-partitions clearing its
   * throttles) leaves them as they are, and succeeds as it does on a Kafka broker without such overrides.
   */
  CompletionStage<Void> alter(byte resourceType, String name, boolean validateOnly, boolean removesOnly,
      UnaryOperator<Map<String, String>> alter) {
    ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
    if (type == ConfigResource.Type.BROKER) {
      broker.check(name);
      if (removesOnly) {
        return CompletableFuture.completedFuture(null);
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
        Map<String, String> altered = alter.apply(stored.getOrDefault(queue.id(), Map.of()));
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

  private static UnknownTopicOrPartitionException unknown(String name) {
    return new UnknownTopicOrPartitionException("Topic " + name + " does not exist.");
  }
}
