package dev.queenj.kafka.txn;

import dev.queenj.core.kafkatxn.KafkaTransactions;
import dev.queenj.core.kafkatxn.ProducerIdentity;
import dev.queenj.core.kafkatxn.TxnPartition;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.KafkaErrors;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;

/**
 * AddPartitionsToTxn (key 24), v0–3: a transactional producer's partitions join its transaction before it produces
 * to them. A partition of an unknown topic, or beyond its partitions, fails with UNKNOWN_TOPIC_OR_PARTITION and the
 * others with OPERATION_NOT_ATTEMPTED, nothing added, as Kafka answers. v4+ batch several transactions for brokers
 * verifying each other (KIP-890) and are not served.
 */
public final class AddPartitionsToTxnHandler
    implements ApiHandler<AddPartitionsToTxnRequestData, AddPartitionsToTxnResponseData> {
  private static final SupportedApi<AddPartitionsToTxnRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.ADD_PARTITIONS_TO_TXN, 0, 3, AddPartitionsToTxnRequestData.class);

  private final KafkaTransactions transactions;
  private final QueueCatalog queues;

  public AddPartitionsToTxnHandler(KafkaTransactions transactions, QueueCatalog queues) {
    this.transactions = transactions;
    this.queues = queues;
  }

  @Override
  public SupportedApi<AddPartitionsToTxnRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<AddPartitionsToTxnResponseData> handle(RequestContext context,
      AddPartitionsToTxnRequestData request) {
    List<TopicPartition> asked = AddPartitionsToTxnRequest.getPartitions(request.v3AndBelowTopics());
    List<String> topics = new ArrayList<>();
    request.v3AndBelowTopics().forEach(topic -> topics.add(topic.name()));
    return Stages.of(queues.named(topics)).thenCompose(found -> {
      Map<String, Queue> byName = new HashMap<>();
      found.forEach(queue -> byName.put(queue.name(), queue));
      List<TxnPartition> partitions = new ArrayList<>(asked.size());
      Map<TopicPartition, Errors> unknown = new LinkedHashMap<>();
      for (TopicPartition partition : asked) {
        Queue queue = byName.get(partition.topic());
        if (queue == null || partition.partition() < 0 || partition.partition() >= queue.kafkaPartitions()) {
          unknown.put(partition, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        } else {
          partitions.add(new TxnPartition(queue.id(), partition.partition()));
        }
      }
      if (!unknown.isEmpty()) {
        asked.forEach(partition -> unknown.putIfAbsent(partition, Errors.OPERATION_NOT_ATTEMPTED));
        return CompletableFuture.completedFuture(answer(request, unknown));
      }
      ProducerIdentity producer = new ProducerIdentity(request.v3AndBelowProducerId(),
          request.v3AndBelowProducerEpoch());
      return Stages.of(transactions.addPartitions(request.v3AndBelowTransactionalId(), producer, partitions))
          .handle((done, failure) -> answer(request, all(asked,
              failure == null ? Errors.NONE : KafkaErrors.of(failure, context))));
    });
  }

  private static Map<TopicPartition, Errors> all(List<TopicPartition> partitions, Errors error) {
    Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
    partitions.forEach(partition -> errors.put(partition, error));
    return errors;
  }

  private static AddPartitionsToTxnResponseData answer(AddPartitionsToTxnRequestData request,
      Map<TopicPartition, Errors> errors) {
    return new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(AddPartitionsToTxnResponse
        .resultForTransaction(request.v3AndBelowTransactionalId(), errors).topicResults());
  }

  @Override
  public AddPartitionsToTxnResponseData errorResponse(RequestContext context, AddPartitionsToTxnRequestData request,
      Errors error) {
    return answer(request, all(AddPartitionsToTxnRequest.getPartitions(request.v3AndBelowTopics()), error));
  }
}
