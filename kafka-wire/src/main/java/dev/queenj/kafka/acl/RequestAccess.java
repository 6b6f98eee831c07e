package dev.queenj.kafka.acl;

import static dev.queenj.core.acl.AclOperation.ALTER;
import static dev.queenj.core.acl.AclOperation.ALTER_CONFIGS;
import static dev.queenj.core.acl.AclOperation.CREATE;
import static dev.queenj.core.acl.AclOperation.DELETE;
import static dev.queenj.core.acl.AclOperation.DESCRIBE;
import static dev.queenj.core.acl.AclOperation.DESCRIBE_CONFIGS;
import static dev.queenj.core.acl.AclOperation.IDEMPOTENT_WRITE;
import static dev.queenj.core.acl.AclOperation.READ;
import static dev.queenj.core.acl.AclOperation.WRITE;
import static dev.queenj.kafka.acl.Denials.cluster;
import static dev.queenj.kafka.acl.Denials.first;
import static dev.queenj.kafka.acl.Denials.require;
import static dev.queenj.kafka.acl.Denials.requireAll;

import dev.queenj.core.acl.AclOperation;
import dev.queenj.core.acl.ResourceKind;
import dev.queenj.kafka.api.Admission;
import dev.queenj.kafka.api.RequestAuthorization;
import dev.queenj.kafka.api.RequestContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;

/**
 * Which resources each Kafka API touches and with which operation, after Kafka's table "Operations and Resources on
 * Protocols" (KIP-11 and its successors): the one authorization step every request passes before its handler. An
 * API without an entry here needs ALL on the cluster (super users have it), so that an API added later cannot be
 * open by omission ({@code KafkaApisAccessTest} checks every served API has an entry).
 */
public final class RequestAccess implements RequestAuthorization {
  private final Map<ApiKeys, BiFunction<RequestContext, ApiMessage, Admission>> checks = new EnumMap<>(ApiKeys.class);

  public RequestAccess() {
    open(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE, ApiKeys.SASL_AUTHENTICATE, ApiKeys.DESCRIBE_CLUSTER);
    on(ApiKeys.PRODUCE, ProduceRequestData.class, PartialAccess::produce);
    on(ApiKeys.FETCH, FetchRequestData.class, PartialAccess::fetch);
    on(ApiKeys.METADATA, MetadataRequestData.class, PartialAccess::metadata);
    on(ApiKeys.LIST_OFFSETS, ListOffsetsRequestData.class, (c, r) -> topics(c, DESCRIBE,
        names(r.topics(), ListOffsetsRequestData.ListOffsetsTopic::name)));
    on(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, DescribeTopicPartitionsRequestData.class,
        PartialAccess::describeTopicPartitions);
    on(ApiKeys.DESCRIBE_PRODUCERS, DescribeProducersRequestData.class, (c, r) -> topics(c, READ,
        names(r.topics(), DescribeProducersRequestData.TopicRequest::name)));

    on(ApiKeys.CREATE_TOPICS, CreateTopicsRequestData.class, (c, r) -> cluster(c, CREATE) == Admission.ADMITTED
        ? Admission.ADMITTED : topics(c, CREATE, names(r.topics(), CreateTopicsRequestData.CreatableTopic::name)));
    on(ApiKeys.DELETE_TOPICS, DeleteTopicsRequestData.class, RequestAccess::deleteTopics);
    on(ApiKeys.CREATE_PARTITIONS, CreatePartitionsRequestData.class, (c, r) -> topics(c, ALTER,
        names(r.topics(), CreatePartitionsRequestData.CreatePartitionsTopic::name)));
    on(ApiKeys.DELETE_RECORDS, DeleteRecordsRequestData.class, (c, r) -> topics(c, DELETE,
        names(r.topics(), DeleteRecordsRequestData.DeleteRecordsTopic::name)));
    on(ApiKeys.DESCRIBE_CONFIGS, DescribeConfigsRequestData.class, (c, r) -> configs(c, DESCRIBE_CONFIGS,
        r.resources().stream().map(x -> new Config(x.resourceType(), x.resourceName())).toList()));
    on(ApiKeys.ALTER_CONFIGS, AlterConfigsRequestData.class, (c, r) -> configs(c, ALTER_CONFIGS,
        r.resources().stream().map(x -> new Config(x.resourceType(), x.resourceName())).toList()));
    on(ApiKeys.INCREMENTAL_ALTER_CONFIGS, IncrementalAlterConfigsRequestData.class, (c, r) -> configs(c,
        ALTER_CONFIGS, r.resources().stream().map(x -> new Config(x.resourceType(), x.resourceName())).toList()));
    clusterWide(ApiKeys.DESCRIBE_LOG_DIRS, DESCRIBE);
    clusterWide(ApiKeys.LIST_PARTITION_REASSIGNMENTS, DESCRIBE);
    clusterWide(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, ALTER);
    clusterWide(ApiKeys.ELECT_LEADERS, ALTER);
    clusterWide(ApiKeys.DESCRIBE_ACLS, DESCRIBE);
    clusterWide(ApiKeys.CREATE_ACLS, ALTER);
    clusterWide(ApiKeys.DELETE_ACLS, ALTER);
    clusterWide(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, DESCRIBE);
    clusterWide(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, ALTER);
    clusterWide(ApiKeys.DESCRIBE_CLIENT_QUOTAS, DESCRIBE_CONFIGS);

    on(ApiKeys.FIND_COORDINATOR, FindCoordinatorRequestData.class, RequestAccess::findCoordinator);
    on(ApiKeys.JOIN_GROUP, JoinGroupRequestData.class, (c, r) -> group(c, READ, r.groupId()));
    on(ApiKeys.SYNC_GROUP, SyncGroupRequestData.class, (c, r) -> group(c, READ, r.groupId()));
    on(ApiKeys.HEARTBEAT, HeartbeatRequestData.class, (c, r) -> group(c, READ, r.groupId()));
    on(ApiKeys.LEAVE_GROUP, LeaveGroupRequestData.class, (c, r) -> group(c, READ, r.groupId()));
    on(ApiKeys.OFFSET_COMMIT, OffsetCommitRequestData.class, (c, r) -> first(group(c, READ, r.groupId()),
        topics(c, READ, names(r.topics(), OffsetCommitRequestData.OffsetCommitRequestTopic::name))));
    on(ApiKeys.OFFSET_FETCH, OffsetFetchRequestData.class, RequestAccess::offsetFetch);
    on(ApiKeys.OFFSET_DELETE, OffsetDeleteRequestData.class, (c, r) -> first(group(c, DELETE, r.groupId()),
        topics(c, READ, names(r.topics(), OffsetDeleteRequestData.OffsetDeleteRequestTopic::name))));
    on(ApiKeys.DESCRIBE_GROUPS, DescribeGroupsRequestData.class, PartialAccess::describeGroups);
    on(ApiKeys.LIST_GROUPS, ApiMessage.class, (c, r) -> PartialAccess.listGroups(c));
    on(ApiKeys.DELETE_GROUPS, DeleteGroupsRequestData.class,
        (c, r) -> requireAll(c, DELETE, ResourceKind.GROUP, r.groupsNames()));

    on(ApiKeys.INIT_PRODUCER_ID, InitProducerIdRequestData.class, RequestAccess::initProducerId);
    on(ApiKeys.ADD_PARTITIONS_TO_TXN, AddPartitionsToTxnRequestData.class, (c, r) -> first(
        transactional(c, WRITE, r.v3AndBelowTransactionalId()),
        topics(c, WRITE, names(r.v3AndBelowTopics(), AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic::name))));
    on(ApiKeys.ADD_OFFSETS_TO_TXN, AddOffsetsToTxnRequestData.class, (c, r) -> first(
        transactional(c, WRITE, r.transactionalId()), group(c, READ, r.groupId())));
    on(ApiKeys.TXN_OFFSET_COMMIT, TxnOffsetCommitRequestData.class, (c, r) -> first(
        transactional(c, WRITE, r.transactionalId()), group(c, READ, r.groupId()),
        topics(c, READ, names(r.topics(), TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic::name))));
    on(ApiKeys.END_TXN, EndTxnRequestData.class, (c, r) -> transactional(c, WRITE, r.transactionalId()));
    on(ApiKeys.DESCRIBE_TRANSACTIONS, DescribeTransactionsRequestData.class,
        (c, r) -> requireAll(c, DESCRIBE, ResourceKind.TRANSACTIONAL_ID, r.transactionalIds()));
    on(ApiKeys.LIST_TRANSACTIONS, ApiMessage.class, (c, r) -> PartialAccess.listTransactions(c));
  }

  /** Whether {@code api} has an entry (else it needs ALL on the cluster). */
  public boolean covers(ApiKeys api) {
    return checks.containsKey(api);
  }

  @Override
  public Admission admit(RequestContext context, ApiMessage request) {
    if (!context.acls().enabled()) {
      return Admission.ADMITTED;
    }
    BiFunction<RequestContext, ApiMessage, Admission> check = checks.get(context.apiKey());
    if (check == null) {
      return cluster(context, AclOperation.ALL);
    }
    return check.apply(context, request);
  }

  private void open(ApiKeys... apis) {
    for (ApiKeys api : apis) {
      checks.put(api, (context, request) -> Admission.ADMITTED);
    }
  }

  private void clusterWide(ApiKeys api, AclOperation operation) {
    checks.put(api, (context, request) -> cluster(context, operation));
  }

  private <Q extends ApiMessage> void on(ApiKeys api, Class<Q> type, BiFunction<RequestContext, Q, Admission> check) {
    checks.put(api, (context, request) -> check.apply(context, type.cast(request)));
  }

  private static <T> List<String> names(Collection<T> items, Function<T, String> name) {
    List<String> names = new ArrayList<>(items.size());
    items.forEach(item -> names.add(name.apply(item)));
    return names;
  }

  private static Admission topics(RequestContext context, AclOperation operation, List<String> names) {
    return requireAll(context, operation, ResourceKind.TOPIC, names);
  }

  private static Admission group(RequestContext context, AclOperation operation, String group) {
    return require(context, operation, ResourceKind.GROUP, group);
  }

  private static Admission transactional(RequestContext context, AclOperation operation, String id) {
    return require(context, operation, ResourceKind.TRANSACTIONAL_ID, id);
  }

  /** Topics named by id only cannot be matched against ACLs by name: only DELETE on every topic covers them. */
  private static Admission deleteTopics(RequestContext context, DeleteTopicsRequestData request) {
    List<String> names = new ArrayList<>(request.topicNames());
    request.topics().forEach(topic -> names.add(topic.name() == null ? "*" : topic.name()));
    return topics(context, DELETE, names);
  }

  private static Admission findCoordinator(RequestContext context, FindCoordinatorRequestData request) {
    List<String> keys = request.coordinatorKeys().isEmpty() ? List.of(request.key()) : request.coordinatorKeys();
    ResourceKind kind = request.keyType() == CoordinatorType.TRANSACTION.id() ? ResourceKind.TRANSACTIONAL_ID
        : ResourceKind.GROUP;
    return requireAll(context, DESCRIBE, kind, keys);
  }

  /**
   * Group DESCRIBE and, for the topics named, topic DESCRIBE (Kafka's rule for OffsetFetch); a fetch of all of a
   * group's offsets leaves out the topics the principal may not describe.
   */
  private static Admission offsetFetch(RequestContext context, OffsetFetchRequestData request) {
    boolean allTopics;
    if (request.groups().isEmpty()) {
      Admission admission = first(group(context, DESCRIBE, request.groupId()), request.topics() == null
          ? Admission.ADMITTED
          : topics(context, DESCRIBE, names(request.topics(), OffsetFetchRequestData.OffsetFetchRequestTopic::name)));
      if (admission != Admission.ADMITTED) {
        return admission;
      }
      allTopics = request.topics() == null;
    } else {
      allTopics = false;
      for (OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups()) {
        Admission admission = first(group(context, DESCRIBE, group.groupId()), group.topics() == null
            ? Admission.ADMITTED
            : topics(context, DESCRIBE, names(group.topics(), OffsetFetchRequestData.OffsetFetchRequestTopics::name)));
        if (admission != Admission.ADMITTED) {
          return admission;
        }
        allTopics |= group.topics() == null;
      }
    }
    if (!allTopics) {
      return Admission.ADMITTED;
    }
    return Admission.amending(answer -> {
      OffsetFetchResponseData response = (OffsetFetchResponseData) answer;
      response.topics().removeIf(topic -> !context.allowed(DESCRIBE, ResourceKind.TOPIC, topic.name()));
      response.groups().forEach(group -> group.topics()
          .removeIf(topic -> !context.allowed(DESCRIBE, ResourceKind.TOPIC, topic.name())));
      return response;
    });
  }

  /**
   * Transactional producers need WRITE on their transactional id; idempotent ones IDEMPOTENT_WRITE on the cluster or,
   * since Kafka 3.0, WRITE on any topic.
   */
  private static Admission initProducerId(RequestContext context, InitProducerIdRequestData request) {
    if (request.transactionalId() != null) {
      return transactional(context, WRITE, request.transactionalId());
    }
    if (context.allowed(IDEMPOTENT_WRITE, ResourceKind.CLUSTER, ResourceKind.CLUSTER_NAME)
        || context.allowedOnAny(WRITE, ResourceKind.TOPIC)) {
      return Admission.ADMITTED;
    }
    return Admission.refused(Denials.errorFor(ResourceKind.CLUSTER));
  }

  private record Config(byte type, String name) {}

  /** Topic configs on the topic, broker (and broker logger) configs on the cluster, group configs on the group. */
  private static Admission configs(RequestContext context, AclOperation operation, List<Config> resources) {
    for (Config resource : resources) {
      ConfigResource.Type type = ConfigResource.Type.forId(resource.type());
      Admission admission;
      switch (type) {
        case TOPIC:
          admission = require(context, operation, ResourceKind.TOPIC, resource.name());
          break;
        case GROUP:
          admission = require(context, operation, ResourceKind.GROUP, resource.name());
          break;
        default:
          admission = cluster(context, operation);
      }
      if (admission != Admission.ADMITTED) {
        return admission;
      }
    }
    return Admission.ADMITTED;
  }
}
