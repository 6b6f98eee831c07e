package dev.queenj.kafka.group;

import dev.queenj.core.group.CommittedOffset;
import dev.queenj.core.kafkatxn.PendingOffset;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetFetch (key 9), v1–9: a group's committed offsets from Postgres, metadata as committed. A partition without a
 * committed offset answers offset -1, no error, as Kafka does. No topics (v2+: null) means every committed offset.
 * With {@code require_stable} (v7+), a partition whose offset a transaction has staged answers UNSTABLE_OFFSET_COMMIT
 * until that transaction ends.
 * v8+ asks for several groups at once. v10 names topics by id and is not served.
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequestData, OffsetFetchResponseData> {
  private static final SupportedApi<OffsetFetchRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.OFFSET_FETCH, 1, 9, OffsetFetchRequestData.class);
  private static final short MULTI_GROUP = 8;
  private static final long NO_OFFSET = -1;
  private static final int NO_EPOCH = -1;

  private final GroupCoordinator coordinator;

  public OffsetFetchHandler(GroupCoordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public SupportedApi<OffsetFetchRequestData> supported() {
    return SUPPORTED;
  }

  /** The partitions a request asks for per topic, in order; null when it asks for everything. */
  private record Wanted(String groupId, Map<String, List<Integer>> topics) {}

  @Override
  public CompletionStage<OffsetFetchResponseData> handle(RequestContext context, OffsetFetchRequestData request) {
    List<Wanted> wanted = new ArrayList<>();
    if (context.apiVersion() >= MULTI_GROUP) {
      for (OffsetFetchRequestGroup group : request.groups()) {
        Map<String, List<Integer>> topics = null;
        if (group.topics() != null) {
          topics = new LinkedHashMap<>();
          for (OffsetFetchRequestTopics topic : group.topics()) {
            topics.put(topic.name(), topic.partitionIndexes());
          }
        }
        wanted.add(new Wanted(group.groupId(), topics));
      }
    } else {
      Map<String, List<Integer>> topics = null;
      if (request.topics() != null) {
        topics = new LinkedHashMap<>();
        for (OffsetFetchRequestTopic topic : request.topics()) {
          topics.put(topic.name(), topic.partitionIndexes());
        }
      }
      wanted.add(new Wanted(request.groupId(), topics));
    }
    Set<String> groupIds = new LinkedHashSet<>();
    wanted.forEach(group -> groupIds.add(group.groupId()));
    CompletionStage<Set<PendingOffset>> pending = request.requireStable()
        ? coordinator.pendingOffsets(groupIds) : CompletableFuture.completedFuture(Set.of());
    return coordinator.committedOffsets(groupIds).thenCombine(pending, (committed, unstable) -> {
      Map<String, Map<TopicPartition, CommittedOffset>> byGroup = new HashMap<>();
      committed.forEach(offset -> byGroup.computeIfAbsent(offset.groupId(), id -> new LinkedHashMap<>())
          .put(new TopicPartition(offset.topic(), offset.partition()), offset));
      OffsetFetchResponseData answer = new OffsetFetchResponseData();
      for (Wanted group : wanted) {
        Map<TopicPartition, CommittedOffset> offsets = byGroup.getOrDefault(group.groupId(), Map.of());
        if (context.apiVersion() >= MULTI_GROUP) {
          answer.groups().add(groupAnswer(group, offsets, unstable));
        } else {
          answer.setErrorCode(Errors.NONE.code()).setTopics(topicsAnswer(group, offsets, unstable));
        }
      }
      return answer;
    });
  }

  private static OffsetFetchResponseGroup groupAnswer(Wanted group, Map<TopicPartition, CommittedOffset> offsets,
      Set<PendingOffset> unstable) {
    OffsetFetchResponseGroup answer = new OffsetFetchResponseGroup().setGroupId(group.groupId())
        .setErrorCode(Errors.NONE.code());
    for (OffsetFetchResponseTopic topic : topicsAnswer(group, offsets, unstable)) {
      OffsetFetchResponseTopics answered = new OffsetFetchResponseTopics().setName(topic.name());
      for (OffsetFetchResponsePartition partition : topic.partitions()) {
        answered.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(partition.partitionIndex())
            .setCommittedOffset(partition.committedOffset()).setCommittedLeaderEpoch(partition.committedLeaderEpoch())
            .setMetadata(partition.metadata()).setErrorCode(partition.errorCode()));
      }
      answer.topics().add(answered);
    }
    return answer;
  }

  /**
   * Per topic, what the group asked for (everything committed when it asked for nothing in particular); a partition
   * in {@code unstable} (asked with {@code require_stable}) answers UNSTABLE_OFFSET_COMMIT, which the consumer retries.
   */
  private static List<OffsetFetchResponseTopic> topicsAnswer(Wanted group,
      Map<TopicPartition, CommittedOffset> offsets, Set<PendingOffset> unstable) {
    Map<String, List<Integer>> topics = group.topics();
    if (topics == null) {
      topics = new LinkedHashMap<>();
      for (TopicPartition partition : offsets.keySet()) {
        topics.computeIfAbsent(partition.topic(), name -> new ArrayList<>()).add(partition.partition());
      }
    }
    List<OffsetFetchResponseTopic> answer = new ArrayList<>(topics.size());
    topics.forEach((name, partitions) -> {
      OffsetFetchResponseTopic topic = new OffsetFetchResponseTopic().setName(name);
      for (int partition : partitions) {
        if (unstable.contains(new PendingOffset(group.groupId(), name, partition))) {
          topic.partitions().add(new OffsetFetchResponsePartition().setPartitionIndex(partition)
              .setCommittedOffset(NO_OFFSET).setCommittedLeaderEpoch(NO_EPOCH).setMetadata("")
              .setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code()));
          continue;
        }
        CommittedOffset offset = offsets.get(new TopicPartition(name, partition));
        topic.partitions().add(new OffsetFetchResponsePartition().setPartitionIndex(partition)
            .setCommittedOffset(offset == null ? NO_OFFSET : offset.offset())
            .setCommittedLeaderEpoch(offset == null ? NO_EPOCH : offset.leaderEpoch())
            .setMetadata(offset == null ? "" : offset.metadata())
            .setErrorCode(Errors.NONE.code()));
      }
      answer.add(topic);
    });
    return answer;
  }

  @Override
  public OffsetFetchResponseData errorResponse(RequestContext context, OffsetFetchRequestData request,
      Errors error) {
    OffsetFetchResponseData answer = new OffsetFetchResponseData();
    if (context.apiVersion() >= MULTI_GROUP) {
      for (OffsetFetchRequestGroup group : request.groups()) {
        answer.groups().add(new OffsetFetchResponseGroup().setGroupId(group.groupId()).setErrorCode(error.code()));
      }
      return answer;
    }
    if (request.topics() != null) {
      for (OffsetFetchRequestTopic topic : request.topics()) {
        OffsetFetchResponseTopic answered = new OffsetFetchResponseTopic().setName(topic.name());
        for (int partition : topic.partitionIndexes()) {
          // v1 has no top-level error: each partition carries it
          answered.partitions().add(new OffsetFetchResponsePartition().setPartitionIndex(partition)
              .setCommittedOffset(NO_OFFSET).setMetadata("").setErrorCode(error.code()));
        }
        answer.topics().add(answered);
      }
    }
    return answer.setErrorCode(error.code());
  }
}
