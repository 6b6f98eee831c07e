package dev.queenj.kafka.produce;

import dev.queenj.core.kafkatxn.KafkaTransactions;
import dev.queenj.core.kafkatxn.ProducerIdentity;
import dev.queenj.core.kafkatxn.StagedBatch;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.push.PushService;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.admin.TopicConfigs;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ProduceRequest;

/**
 * Produce (key 0): v0–12 advertised (librdkafka turns compression off unless the range includes 0), v3–12 served;
 * v0–2 carry old message formats and are refused with UNSUPPORTED_VERSION.
 *
 * <p>Records go through the core's one append path and share its group commit with native pushes; an idempotent
 * producer's batch carries its sequence header, and the core stores it once and in sequence or refuses it
 * (OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH). A partition is answered only after its records
 * committed; with {@code acks=0} nothing is answered at all. Every partition succeeds or fails on its own: an
 * unknown topic or partition, a corrupt or oversized batch (larger than the topic's {@code max.message.bytes}, as
 * read at most a second ago) fails only that partition and stores none of it.
 *
 * <p>A transactional producer's batches are not appended but staged in its transaction
 * ({@link KafkaTransactions#stage}), to be appended when it commits: such a partition is answered once its batches
 * are staged, with base offset -1 (unknown, which producers accept; the offsets exist only once the transaction
 * commits). Only requests carrying transactional batches take that path.
 *
 * <p>A topic that does not exist is created as a queue under the same rule as Metadata (auto-creation on, a valid
 * and not internal name); otherwise UNKNOWN_TOPIC_OR_PARTITION.
 */
public final class ProduceHandler implements ApiHandler<ProduceRequestData, ProduceResponseData> {
  private static final SupportedApi<ProduceRequestData> SUPPORTED =
      SupportedApi.refusingOlder(ApiKeys.PRODUCE, 0, 3, 12, ProduceRequestData.class);
  private static final short NO_ACKS = 0;
  private static final long UNKNOWN = -1;

  private final PushService push;
  private final KafkaTransactions transactions;
  private final QueueCatalog queues;
  private final boolean autoCreateTopics;

  public ProduceHandler(PushService push, KafkaTransactions transactions, QueueCatalog queues,
      boolean autoCreateTopics) {
    this.push = push;
    this.transactions = transactions;
    this.queues = queues;
    this.autoCreateTopics = autoCreateTopics;
  }

  @Override
  public SupportedApi<ProduceRequestData> supported() {
    return SUPPORTED;
  }

  /** One partition of the request on its way: decoded batches, or the error that fails it. */
  private static final class Target {
    final String topic;
    final int partition;
    Queue queue;
    List<ProducedBatch> batches;
    boolean transactional;
    Errors error;
    long baseOffset = UNKNOWN;

    Target(String topic, int partition) {
      this.topic = topic;
      this.partition = partition;
    }
  }

  @Override
  public CompletionStage<ProduceResponseData> handle(RequestContext context, ProduceRequestData request) {
    Set<String> names = new LinkedHashSet<>();
    request.topicData().forEach(topic -> names.add(topic.name()));
    CompletionStage<Prepared> prepared = resolve(names).thenCompose(cached -> current(cached, request))
        .thenCompose(resolved -> Stages.of(queues.recentTopicConfigs(resolved.values().stream().map(Queue::id)
            .toList())).thenApply(configs -> new Prepared(resolved, configs)));
    // pipelined requests of a connection prepare at once, and append in the order they came
    return context.order().inOrder(prepared, ready -> append(context, request, ready.queues(), ready.configs()));
  }

  /** The request's queues, by name (a missing name is unknown), and their topic configs, by queue id. */
  private record Prepared(Map<String, Queue> queues, Map<UUID, Map<String, String>> configs) {}

  /** Decodes every partition's batches against its topic's {@code max.message.bytes}, then appends them. */
  private CompletionStage<ProduceResponseData> append(RequestContext context, ProduceRequestData request,
      Map<String, Queue> resolved, Map<UUID, Map<String, String>> configs) {
    List<Target> targets = new ArrayList<>();
    for (TopicProduceData topic : request.topicData()) {
      Queue queue = resolved.get(topic.name());
      for (PartitionProduceData data : topic.partitionData()) {
        Target target = new Target(topic.name(), data.index());
        targets.add(target);
        if (queue == null || data.index() < 0 || data.index() >= queue.kafkaPartitions()) {
          target.error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
          continue;
        }
        try {
          int maxMessageBytes = TopicConfigs.maxMessageBytes(configs.getOrDefault(queue.id(), Map.of()));
          target.batches = BatchDecoder.decode(queue.name(), data.index(), data.records(), maxMessageBytes);
          target.queue = queue;
          target.transactional = target.batches.get(0).transactional();
          if (!target.batches.stream().allMatch(batch -> batch.transactional() == target.transactional)) {
            // a partition mixing transactional and other batches: refused whole, nothing stored
            target.error = Errors.INVALID_RECORD;
          }
        } catch (RuntimeException e) {
          target.error = KafkaErrors.of(e, context);
        }
      }
    }
    return CompletableFuture.allOf(grouped(targets, context), idempotent(targets, context),
            transactional(targets, request.transactionalId(), context))
        .thenApply(done -> request.acks() == NO_ACKS ? null : answer(targets));
  }

  /** Batches of producers that are not idempotent, all in one group-committed push. */
  private CompletableFuture<Void> grouped(List<Target> targets, RequestContext context) {
    List<PushItem> items = new ArrayList<>();
    List<Target> included = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    for (Target target : targets) {
      if (target.error == null && !target.transactional && !target.batches.get(0).idempotent()) {
        included.add(target);
        starts.add(items.size());
        target.batches.forEach(batch -> items.addAll(batch.items()));
      }
    }
    if (items.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return Stages.of(push.push(items)).<Void>handle((outcomes, failure) -> {
      for (int i = 0; i < included.size(); i++) {
        if (failure != null) {
          included.get(i).error = KafkaErrors.of(failure, context);
        } else {
          included.get(i).baseOffset = outcomes.get(starts.get(i)).offset();
        }
      }
      return null;
    }).toCompletableFuture();
  }

  /**
   * Each idempotent partition's batches, submitted in order (one partition's batches share a group-commit lane, so they
   * are decided and stored in that order); partitions concurrently. A partition answers its first batch's offset.
   */
  private CompletableFuture<Void> idempotent(List<Target> targets, RequestContext context) {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Target target : targets) {
      if (target.error != null || target.transactional || !target.batches.get(0).idempotent()) {
        continue;
      }
      if (!target.batches.stream().allMatch(ProducedBatch::idempotent)) {
        // a partition mixing idempotent and plain batches: refused whole, nothing stored
        target.error = Errors.INVALID_RECORD;
        continue;
      }
      List<CompletableFuture<Long>> offsets = new ArrayList<>(target.batches.size());
      for (ProducedBatch batch : target.batches) {
        offsets.add(Stages.of(push.push(batch.items(), batch.header())).toCompletableFuture());
      }
      all.add(CompletableFuture.allOf(offsets.toArray(new CompletableFuture<?>[0])).handle((done, failure) -> {
        if (failure != null) {
          target.error = KafkaErrors.of(failure, context);
        } else {
          target.baseOffset = offsets.get(0).join();
        }
        return null;
      }));
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
  }

  /**
   * Every transactional partition's batches, staged in one Postgres transaction of their transactional id. All must
   * come from one producer (id and epoch), the one the request names by its transactional id.
   */
  private CompletableFuture<Void> transactional(List<Target> targets, String transactionalId,
      RequestContext context) {
    List<Target> included = new ArrayList<>();
    List<StagedBatch> staged = new ArrayList<>();
    ProducerIdentity producer = null;
    for (Target target : targets) {
      if (target.error != null || !target.transactional) {
        continue;
      }
      ProducedBatch first = target.batches.get(0);
      ProducerIdentity mine = new ProducerIdentity(first.producerId(), first.producerEpoch());
      producer = producer == null ? mine : producer;
      boolean oneProducer = mine.equals(producer) && target.batches.stream()
          .allMatch(batch -> batch.producerId() == first.producerId() && batch.producerEpoch() == first.producerEpoch());
      if (transactionalId == null || !oneProducer) {
        target.error = Errors.INVALID_RECORD;
        continue;
      }
      included.add(target);
      target.batches.forEach(batch -> staged.add(new StagedBatch(target.queue, target.partition, batch.header(),
          batch.items())));
    }
    if (included.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return Stages.of(transactions.stage(transactionalId, producer, staged)).<Void>handle((outcomes, failure) -> {
      int next = 0;
      for (Target target : included) {
        for (int i = 0; i < target.batches.size(); i++, next++) {
          RuntimeException refused = failure != null ? null : outcomes.get(next);
          if (target.error == null && (failure != null || refused != null)) {
            target.error = KafkaErrors.of(failure != null ? failure : refused, context);
          }
        }
      }
      return null;
    }).toCompletableFuture();
  }

  private static ProduceResponseData answer(List<Target> targets) {
    ProduceResponseData answer = new ProduceResponseData();
    for (Target target : targets) {
      TopicProduceResponse topic = answer.responses().find(target.topic, Uuid.ZERO_UUID);
      if (topic == null) {
        topic = new TopicProduceResponse().setName(target.topic);
        answer.responses().add(topic);
      }
      Errors error = target.error == null ? Errors.NONE : target.error;
      topic.partitionResponses().add(new PartitionProduceResponse().setIndex(target.partition)
          .setErrorCode(error.code()).setBaseOffset(error == Errors.NONE ? target.baseOffset : UNKNOWN)
          .setLogAppendTimeMs(UNKNOWN).setLogStartOffset(UNKNOWN));
    }
    return answer;
  }

  /**
   * The queues named, auto-created where allowed; a name missing from the map is unknown. A queue that may be
   * auto-created is taken from the catalog's cache (no round trip once known; if it was deleted meanwhile, the append
   * re-creates it as a push would); the others are looked up in one round trip.
   */
  private CompletionStage<Map<String, Queue>> resolve(Set<String> names) {
    Map<String, Queue> byName = new ConcurrentHashMap<>();
    List<String> lookUp = new ArrayList<>();
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (String name : names) {
      // the rule Metadata applies: Kafka's internal topics are never queues
      if (autoCreateTopics && Topic.isValid(name) && !Topic.isInternal(name)) {
        pending.add(Stages.of(queues.ensure(name)).thenAccept(queue -> byName.put(name, queue))
            .toCompletableFuture());
      } else {
        lookUp.add(name);
      }
    }
    if (!lookUp.isEmpty()) {
      pending.add(Stages.of(queues.named(lookUp))
          .thenAccept(found -> found.forEach(queue -> byName.put(queue.name(), queue))).toCompletableFuture());
    }
    return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).thenApply(done -> byName);
  }

  /**
   * The cache may hold a partition count that another instance has since grown (CreatePartitions): a queue asked for
   * a partition beyond its cached count is read again (refreshing the cache) before that partition is refused.
   */
  private CompletionStage<Map<String, Queue>> current(Map<String, Queue> resolved, ProduceRequestData request) {
    Set<String> stale = new LinkedHashSet<>();
    for (TopicProduceData topic : request.topicData()) {
      Queue queue = resolved.get(topic.name());
      if (queue != null && topic.partitionData().stream().anyMatch(data -> data.index() >= queue.kafkaPartitions())) {
        stale.add(topic.name());
      }
    }
    if (stale.isEmpty()) {
      return CompletableFuture.completedFuture(resolved);
    }
    return Stages.of(queues.named(stale)).thenApply(found -> {
      found.forEach(queue -> resolved.put(queue.name(), queue));
      return resolved;
    });
  }

  @Override
  public ProduceResponseData errorResponse(RequestContext context, ProduceRequestData request, Errors error) {
    if (request.acks() == NO_ACKS) {
      return null;
    }
    // built at v3 at least: kafka-clients cannot build older ones, and v2's layout is v3's
    short version = (short) Math.max(context.apiVersion(), ApiKeys.PRODUCE.oldestVersion());
    return new ProduceRequest(request, version).getErrorResponse(0, error.exception()).data();
  }
}
