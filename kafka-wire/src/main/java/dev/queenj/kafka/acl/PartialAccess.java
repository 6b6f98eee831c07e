package dev.queenj.kafka.acl;

import static dev.queenj.core.acl.AclOperation.CREATE;
import static dev.queenj.core.acl.AclOperation.DESCRIBE;
import static dev.queenj.core.acl.AclOperation.READ;
import static dev.queenj.core.acl.AclOperation.WRITE;

import dev.queenj.core.acl.ResourceKind;
import dev.queenj.kafka.api.Admission;
import dev.queenj.kafka.api.RequestContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * The APIs where Kafka authorizes each resource on its own: what the principal may not touch is taken out of the
 * request before the handler sees it (so it is neither read, written nor auto-created) and answered with its
 * authorization error; what the principal may not see is filtered out of listings.
 */
final class PartialAccess {
  private static final short TOPIC_FAILED = Errors.TOPIC_AUTHORIZATION_FAILED.code();

  private PartialAccess() {}

  /** Produce: the transactional id WRITE for the whole request, then topic WRITE per topic. */
  static Admission produce(RequestContext context, ProduceRequestData request) {
    Admission transactional = Denials.require(context, WRITE, ResourceKind.TRANSACTIONAL_ID,
        request.transactionalId());
    if (transactional != Admission.ADMITTED) {
      return transactional;
    }
    List<TopicProduceData> denied = new ArrayList<>();
    for (Iterator<TopicProduceData> topics = request.topicData().iterator(); topics.hasNext();) {
      TopicProduceData topic = topics.next();
      if (!context.allowed(WRITE, ResourceKind.TOPIC, topic.name())) {
        denied.add(topic);
      }
    }
    if (denied.isEmpty()) {
      return Admission.ADMITTED;
    }
    if (denied.size() == request.topicData().size()) {
      return Admission.refused(Errors.TOPIC_AUTHORIZATION_FAILED);
    }
    denied.forEach(request.topicData()::remove);
    return Admission.amending(answer -> {
      ProduceResponseData response = (ProduceResponseData) answer;
      for (TopicProduceData topic : denied) {
        TopicProduceResponse refused = new TopicProduceResponse().setName(topic.name());
        for (PartitionProduceData partition : topic.partitionData()) {
          refused.partitionResponses().add(new PartitionProduceResponse().setIndex(partition.index())
              .setErrorCode(TOPIC_FAILED).setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1));
        }
        response.responses().add(refused);
      }
      return response;
    });
  }

  /**
   * Fetch: topic READ per topic. Refused partitions are answered per partition even when none is left (a consumer
   * ignores the partitions of an answer with a top-level error), and then at once.
   */
  static Admission fetch(RequestContext context, FetchRequestData request) {
    List<FetchTopic> denied = new ArrayList<>();
    for (FetchTopic topic : request.topics()) {
      if (!context.allowed(READ, ResourceKind.TOPIC, topic.topic())) {
        denied.add(topic);
      }
    }
    if (denied.isEmpty()) {
      return Admission.ADMITTED;
    }
    request.topics().removeAll(denied);
    if (request.topics().isEmpty()) {
      request.setMaxWaitMs(0);
    }
    return Admission.amending(answer -> {
      FetchResponseData response = (FetchResponseData) answer;
      for (FetchTopic topic : denied) {
        FetchableTopicResponse refused = new FetchableTopicResponse().setTopic(topic.topic())
            .setTopicId(topic.topicId());
        for (FetchPartition partition : topic.partitions()) {
          refused.partitions().add(FetchResponse.partitionResponse(partition.partition(),
              Errors.TOPIC_AUTHORIZATION_FAILED));
        }
        response.responses().add(refused);
      }
      return response;
    });
  }

  /**
   * Metadata: topics the principal may not DESCRIBE are left out of an all-topics answer and answered
   * TOPIC_AUTHORIZATION_FAILED when named; a named topic is auto-created only with CREATE on the cluster or on it.
   */
  static Admission metadata(RequestContext context, MetadataRequestData request) {
    if (request.topics() == null || request.topics().isEmpty()) {
      return Admission.amending(answer -> visibleTopics(context, (MetadataResponseData) answer));
    }
    List<String> denied = new ArrayList<>();
    boolean mayCreate = context.allowed(CREATE, ResourceKind.CLUSTER, ResourceKind.CLUSTER_NAME);
    for (Iterator<MetadataRequestTopic> topics = request.topics().iterator(); topics.hasNext();) {
      MetadataRequestTopic topic = topics.next();
      if (topic.name() == null) {
        continue; // named by id: judged on the answer, which names it
      }
      if (!context.allowed(DESCRIBE, ResourceKind.TOPIC, topic.name())) {
        denied.add(topic.name());
        topics.remove();
      } else if (!mayCreate && !context.allowed(CREATE, ResourceKind.TOPIC, topic.name())) {
        request.setAllowAutoTopicCreation(false);
      }
    }
    boolean nothingLeft = request.topics().isEmpty();
    return Admission.amending(answer -> {
      MetadataResponseData response = (MetadataResponseData) answer;
      if (nothingLeft) {
        response.topics().clear(); // an empty list asks for every topic in v0; none of them was asked for here
      } else {
        refuseHidden(context, response);
      }
      for (String name : denied) {
        response.topics().add(new MetadataResponseTopic().setName(name).setErrorCode(TOPIC_FAILED));
      }
      return response;
    });
  }

  private static MetadataResponseData visibleTopics(RequestContext context, MetadataResponseData response) {
    response.topics().removeIf(topic -> topic.name() != null
        && !context.allowed(DESCRIBE, ResourceKind.TOPIC, topic.name()));
    return response;
  }

  /** Topics asked for by id that the principal may not DESCRIBE: answered without their name or partitions. */
  private static void refuseHidden(RequestContext context, MetadataResponseData response) {
    List<MetadataResponseTopic> hidden = response.topics().stream().filter(topic -> topic.name() != null
        && !context.allowed(DESCRIBE, ResourceKind.TOPIC, topic.name())).toList();
    for (MetadataResponseTopic topic : hidden) {
      response.topics().remove(topic);
      response.topics().add(new MetadataResponseTopic().setTopicId(topic.topicId()).setErrorCode(TOPIC_FAILED));
    }
  }

  /** DescribeGroups: group DESCRIBE per group. */
  static Admission describeGroups(RequestContext context, DescribeGroupsRequestData request) {
    List<String> denied = request.groups().stream()
        .filter(group -> !context.allowed(DESCRIBE, ResourceKind.GROUP, group)).toList();
    if (denied.isEmpty()) {
      return Admission.ADMITTED;
    }
    if (denied.size() == request.groups().size()) {
      return Admission.refused(Errors.GROUP_AUTHORIZATION_FAILED);
    }
    request.groups().removeAll(denied);
    return Admission.amending(answer -> {
      DescribeGroupsResponseData response = (DescribeGroupsResponseData) answer;
      for (String group : denied) {
        response.groups().add(new DescribedGroup().setGroupId(group)
            .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
      }
      return response;
    });
  }

  /** ListGroups: every group with cluster DESCRIBE, otherwise those the principal may DESCRIBE. */
  static Admission listGroups(RequestContext context) {
    if (context.allowed(DESCRIBE, ResourceKind.CLUSTER, ResourceKind.CLUSTER_NAME)) {
      return Admission.ADMITTED;
    }
    return Admission.amending(answer -> {
      ((ListGroupsResponseData) answer).groups()
          .removeIf(group -> !context.allowed(DESCRIBE, ResourceKind.GROUP, group.groupId()));
      return answer;
    });
  }

  /** ListTransactions: the transactional ids the principal may DESCRIBE. */
  static Admission listTransactions(RequestContext context) {
    return Admission.amending(answer -> {
      ((ListTransactionsResponseData) answer).transactionStates()
          .removeIf(txn -> !context.allowed(DESCRIBE, ResourceKind.TRANSACTIONAL_ID, txn.transactionalId()));
      return answer;
    });
  }

  /** DescribeTopicPartitions: named topics the principal may not DESCRIBE refused, unnamed ones left out. */
  static Admission describeTopicPartitions(RequestContext context, DescribeTopicPartitionsRequestData request) {
    boolean named = !request.topics().isEmpty();
    return Admission.amending(answer -> {
      DescribeTopicPartitionsResponseData response = (DescribeTopicPartitionsResponseData) answer;
      List<DescribeTopicPartitionsResponseTopic> hidden = new ArrayList<>();
      for (DescribeTopicPartitionsResponseTopic topic : response.topics()) {
        if (topic.name() != null && !context.allowed(DESCRIBE, ResourceKind.TOPIC, topic.name())) {
          hidden.add(topic);
        }
      }
      for (DescribeTopicPartitionsResponseTopic topic : hidden) {
        if (named) {
          topic.setErrorCode(TOPIC_FAILED).setTopicId(org.apache.kafka.common.Uuid.ZERO_UUID).partitions().clear();
        } else {
          response.topics().remove(topic);
        }
      }
      return response;
    });
  }
}
