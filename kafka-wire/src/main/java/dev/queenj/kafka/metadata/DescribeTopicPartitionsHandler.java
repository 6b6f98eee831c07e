package dev.queenj.kafka.metadata;

import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import dev.queenj.kafka.api.Uuids;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeTopicPartitions (key 75), v0: the partitions Metadata describes, paged. Topics are answered in name order
 * (all of them when the request names none), at most {@code response_partition_limit} partitions per answer (capped
 * like Kafka's {@code max.request.partition.size.limit}); when more remain, {@code next_cursor} says where the next
 * request starts. Named topics that do not exist are reported, as in Kafka; nothing is created. Leaders and leader
 * epochs are Metadata's.
 */
public final class DescribeTopicPartitionsHandler
    implements ApiHandler<DescribeTopicPartitionsRequestData, DescribeTopicPartitionsResponseData> {
  private static final SupportedApi<DescribeTopicPartitionsRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, 0, 0, DescribeTopicPartitionsRequestData.class);
  /** Kafka's default {@code max.request.partition.size.limit}. */
  static final int MAX_PARTITIONS_PER_RESPONSE = 2000;

  private final QueueCatalog queues;
  private final Brokers brokers;

  public DescribeTopicPartitionsHandler(QueueCatalog queues, Brokers brokers) {
    this.queues = queues;
    this.brokers = brokers;
  }

  @Override
  public SupportedApi<DescribeTopicPartitionsRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DescribeTopicPartitionsResponseData> handle(RequestContext context,
      DescribeTopicPartitionsRequestData request) {
    Cursor cursor = request.cursor();
    String from = cursor == null ? "" : cursor.topicName();
    boolean allTopics = request.topics().isEmpty();
    TreeSet<String> named = request.topics().stream().map(TopicRequest::name)
        .collect(Collectors.toCollection(TreeSet::new));
    if (cursor != null && !allTopics && !named.contains(cursor.topicName())) {
      throw new InvalidRequestException("The cursor topic name " + cursor.topicName() + " is not in the request.");
    }
    int limit = Math.max(Math.min(MAX_PARTITIONS_PER_RESPONSE, request.responsePartitionLimit()), 1);
    CompletionStage<List<Queue>> found = allTopics ? Stages.of(queues.all())
        : Stages.of(queues.named(named.tailSet(from, true)));
    return found.thenCombine(Stages.of(brokers.view()), (existing, view) -> {
      Map<String, Queue> byName = existing.stream().collect(Collectors.toMap(Queue::name, Function.identity()));
      TreeSet<String> names = allTopics ? new TreeSet<>(byName.keySet()) : named;
      return page(names.tailSet(from, true), byName, cursor, limit, brokers.on(view, context), view.epoch());
    });
  }

  @Override
  public DescribeTopicPartitionsResponseData errorResponse(RequestContext context,
      DescribeTopicPartitionsRequestData request, Errors error) {
    DescribeTopicPartitionsResponseData answer = new DescribeTopicPartitionsResponseData();
    for (TopicRequest topic : request.topics()) {
      if (answer.topics().find(topic.name()) == null) {
        answer.topics().add(new DescribeTopicPartitionsResponseTopic().setName(topic.name())
            .setErrorCode(error.code()));
      }
    }
    return answer;
  }

  private static DescribeTopicPartitionsResponseData page(Iterable<String> names, Map<String, Queue> byName,
      Cursor cursor, int limit, List<Broker> live, int leaderEpoch) {
    DescribeTopicPartitionsResponseData answer = new DescribeTopicPartitionsResponseData();
    int remaining = limit;
    for (String name : names) {
      if (remaining == 0) {
        // the previous topic filled the page exactly: the next page starts with this one
        answer.setNextCursor(new DescribeTopicPartitionsResponseData.Cursor().setTopicName(name)
            .setPartitionIndex(0));
        break;
      }
      Queue queue = byName.get(name);
      if (queue == null) {
        answer.topics().add(new DescribeTopicPartitionsResponseTopic().setName(name)
            .setErrorCode((Topic.isValid(name) ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                : Errors.INVALID_TOPIC_EXCEPTION).code()));
        continue;
      }
      int first = cursor != null && cursor.topicName().equals(name) ? cursor.partitionIndex() : 0;
      int end = Math.min(queue.kafkaPartitions(), first + remaining);
      DescribeTopicPartitionsResponseTopic topic = new DescribeTopicPartitionsResponseTopic().setName(name)
          .setErrorCode(Errors.NONE.code()).setTopicId(Uuids.toKafka(queue.topicId())).setIsInternal(false);
      for (int partition = first; partition < end; partition++) {
        int leader = Brokers.leader(live, name, partition).nodeId();
        topic.partitions().add(new DescribeTopicPartitionsResponsePartition().setPartitionIndex(partition)
            .setErrorCode(Errors.NONE.code()).setLeaderId(leader).setLeaderEpoch(leaderEpoch)
            .setReplicaNodes(List.of(leader)).setIsrNodes(List.of(leader))
            .setEligibleLeaderReplicas(List.of()).setLastKnownElr(List.of()).setOfflineReplicas(List.of()));
      }
      answer.topics().add(topic);
      if (end < queue.kafkaPartitions()) {
        answer.setNextCursor(new DescribeTopicPartitionsResponseData.Cursor().setTopicName(name)
            .setPartitionIndex(end));
        break;
      }
      remaining -= Math.max(end - first, 0);
    }
    return answer;
  }
}
