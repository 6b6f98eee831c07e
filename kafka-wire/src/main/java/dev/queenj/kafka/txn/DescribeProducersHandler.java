package dev.queenj.kafka.txn;

import dev.queenj.core.kafkatxn.ActiveProducer;
import dev.queenj.core.kafkatxn.TransactionViews;
import dev.queenj.core.kafkatxn.TxnPartition;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeProducers (key 61), v0: the idempotent and transactional producers that wrote to each partition, from their
 * stored sequence states. {@code current_txn_start_offset} is always -1: an open transaction's records are staged,
 * not in the log, so they have no offset yet; {@code coordinator_epoch} is -1 too (no coordinator epochs here).
 */
public final class DescribeProducersHandler
    implements ApiHandler<DescribeProducersRequestData, DescribeProducersResponseData> {
  private static final SupportedApi<DescribeProducersRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.DESCRIBE_PRODUCERS, 0, 0, DescribeProducersRequestData.class);
  private static final int NONE = -1;

  private final TransactionViews views;
  private final QueueCatalog queues;

  public DescribeProducersHandler(TransactionViews views, QueueCatalog queues) {
    this.views = views;
    this.queues = queues;
  }

  @Override
  public SupportedApi<DescribeProducersRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<DescribeProducersResponseData> handle(RequestContext context,
      DescribeProducersRequestData request) {
    List<String> names = request.topics().stream().map(TopicRequest::name).toList();
    return Stages.of(queues.named(names)).thenCompose(found -> {
      Map<String, Queue> byName = new HashMap<>();
      found.forEach(queue -> byName.put(queue.name(), queue));
      List<TxnPartition> logs = new ArrayList<>();
      for (TopicRequest topic : request.topics()) {
        Queue queue = byName.get(topic.name());
        for (int partition : topic.partitionIndexes()) {
          if (exists(queue, partition)) {
            logs.add(new TxnPartition(queue.id(), partition));
          }
        }
      }
      return Stages.of(views.producers(logs)).thenApply(producers -> answer(request, byName, producers));
    });
  }

  private static boolean exists(Queue queue, int partition) {
    return queue != null && partition >= 0 && partition < queue.kafkaPartitions();
  }

  private static DescribeProducersResponseData answer(DescribeProducersRequestData request,
      Map<String, Queue> byName, List<ActiveProducer> producers) {
    Map<TxnPartition, List<ProducerState>> byLog = new HashMap<>();
    producers.forEach(producer -> byLog.computeIfAbsent(producer.log(), log -> new ArrayList<>())
        .add(new ProducerState().setProducerId(producer.producerId()).setProducerEpoch(producer.epoch())
            .setLastSequence(producer.lastSequence()).setLastTimestamp(producer.lastWriteMs())
            .setCoordinatorEpoch(NONE).setCurrentTxnStartOffset(NONE)));
    DescribeProducersResponseData answer = new DescribeProducersResponseData();
    for (TopicRequest topic : request.topics()) {
      Queue queue = byName.get(topic.name());
      TopicResponse answered = new TopicResponse().setName(topic.name());
      for (int partition : topic.partitionIndexes()) {
        PartitionResponse result = new PartitionResponse().setPartitionIndex(partition);
        if (exists(queue, partition)) {
          result.setErrorCode(Errors.NONE.code())
              .setActiveProducers(byLog.getOrDefault(new TxnPartition(queue.id(), partition), List.of()));
        } else {
          result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
              .setErrorMessage(Errors.UNKNOWN_TOPIC_OR_PARTITION.message());
        }
        answered.partitions().add(result);
      }
      answer.topics().add(answered);
    }
    return answer;
  }

  @Override
  public DescribeProducersResponseData errorResponse(RequestContext context, DescribeProducersRequestData request,
      Errors error) {
    DescribeProducersResponseData answer = new DescribeProducersResponseData();
    for (TopicRequest topic : request.topics()) {
      TopicResponse answered = new TopicResponse().setName(topic.name());
      topic.partitionIndexes().forEach(partition -> answered.partitions().add(new PartitionResponse()
          .setPartitionIndex(partition).setErrorCode(error.code()).setErrorMessage(error.message())));
      answer.topics().add(answered);
    }
    return answer;
  }
}
