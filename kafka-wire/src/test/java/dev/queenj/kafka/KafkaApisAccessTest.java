package dev.queenj.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.acl.AclBinding;
import dev.queenj.core.acl.AclOperation;
import dev.queenj.core.acl.AclPermission;
import dev.queenj.core.acl.AclPolicy;
import dev.queenj.core.acl.AclSettings;
import dev.queenj.core.acl.AclSnapshot;
import dev.queenj.core.acl.PatternType;
import dev.queenj.core.acl.ResourceKind;
import dev.queenj.core.auth.ScramCredentials;
import dev.queenj.core.cluster.ClusterMembership;
import dev.queenj.core.cluster.ClusterSettings;
import dev.queenj.core.storage.Database;
import dev.queenj.kafka.acl.RequestAccess;
import dev.queenj.kafka.api.Admission;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.RequestOrder;
import dev.queenj.kafka.group.GroupConfig;
import dev.queenj.kafka.group.GroupCoordinator;
import dev.queenj.kafka.metadata.Brokers;
import dev.queenj.kafka.security.ScramUsers;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorization step of dispatch, without a database: every served API has an entry, and the entries that
 * split a request (Fetch, Metadata) answer what they took out with Kafka's code.
 */
class KafkaApisAccessTest {
  private static final KafkaPrincipal ALICE = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice");
  private static Vertx vertx;
  private static QueenCore core;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    // never connected: the table is only built, not used
    core = new QueenCore(Database.connect(vertx, "postgresql://nobody@127.0.0.1:1/none", 1), 1);
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @Test
  void everyServedApiHasAnAuthorizationEntry() {
    RequestAccess access = new RequestAccess();
    ClusterMembership membership = new ClusterMembership(vertx, core.database(), ClusterSettings.DEFAULTS);
    List<ApiKeys> served = KafkaApis.table(vertx, core, KafkaConfig.defaults(), UUID.randomUUID(),
        new ScramUsers(new ScramCredentials(core.database())), new Brokers(membership, "localhost"),
        new GroupCoordinator(vertx, core, GroupConfig.defaults(), membership)).advertised()
        .stream().map(ApiVersion::apiKey).map(ApiKeys::forId).toList();
    assertThat(served).isNotEmpty().allSatisfy(api -> assertThat(access.covers(api)).as(api.name).isTrue());
  }

  @Test
  void fetchAnswersRefusedTopicsPerPartitionAndAtOnceWhenNothingIsLeft() {
    FetchRequestData request = new FetchRequestData().setMaxWaitMs(500).setTopics(new ArrayList<>(List.of(
        new FetchRequestData.FetchTopic().setTopic("secret").setPartitions(List.of(
            new FetchRequestData.FetchPartition().setPartition(0))))));
    Admission admission = new RequestAccess().admit(context(ApiKeys.FETCH, 12, deny(ResourceKind.TOPIC, "secret",
        AclOperation.READ)), request);

    assertThat(admission.refusal()).isEqualTo(Errors.NONE);
    assertThat(request.topics()).isEmpty();
    assertThat(request.maxWaitMs()).isZero();
    FetchResponseData answer = (FetchResponseData) admission.complete(new FetchResponseData());
    assertThat(answer.errorCode()).as("no top-level error: consumers would ignore the partitions").isZero();
    assertThat(answer.responses().get(0).partitions().get(0).errorCode())
        .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
  }

  @Test
  void produceServesTheAllowedTopicsAndRefusesTheOthersPerPartition() {
    ProduceRequestData request = new ProduceRequestData().setAcks((short) -1);
    request.topicData().add(new ProduceRequestData.TopicProduceData().setName("secret").setPartitionData(List.of(
        new ProduceRequestData.PartitionProduceData().setIndex(3))));
    request.topicData().add(new ProduceRequestData.TopicProduceData().setName("open"));
    Admission admission = new RequestAccess().admit(context(ApiKeys.PRODUCE, 12, deny(ResourceKind.TOPIC, "secret",
        AclOperation.WRITE)), request);

    assertThat(request.topicData()).extracting(ProduceRequestData.TopicProduceData::name).containsExactly("open");
    ProduceResponseData answer = (ProduceResponseData) admission.complete(new ProduceResponseData());
    assertThat(answer.responses().find("secret", org.apache.kafka.common.Uuid.ZERO_UUID).partitionResponses())
        .extracting(ProduceResponseData.PartitionProduceResponse::index,
            ProduceResponseData.PartitionProduceResponse::errorCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(3, Errors.TOPIC_AUTHORIZATION_FAILED.code()));
    assertThat(new RequestAccess().admit(context(ApiKeys.PRODUCE, 12, deny(ResourceKind.TRANSACTIONAL_ID, "tx",
        AclOperation.WRITE)), new ProduceRequestData().setTransactionalId("tx")).refusal())
        .isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  }

  @Test
  void metadataHidesTopicsFromListingsAndRefusesNamedOnes() {
    RequestContext context = context(ApiKeys.METADATA, 12, deny(ResourceKind.TOPIC, "secret", AclOperation.ALL));
    MetadataResponseData all = new MetadataResponseData();
    all.topics().add(new MetadataResponseTopic().setName("secret"));
    all.topics().add(new MetadataResponseTopic().setName("open"));
    MetadataResponseData listed = (MetadataResponseData) new RequestAccess()
        .admit(context, new MetadataRequestData().setTopics(null)).complete(all);
    assertThat(listed.topics()).extracting(MetadataResponseTopic::name).containsExactly("open");

    MetadataRequestData named = new MetadataRequestData().setAllowAutoTopicCreation(true).setTopics(
        new ArrayList<>(List.of(new MetadataRequestData.MetadataRequestTopic().setName("secret"))));
    Admission admission = new RequestAccess().admit(context, named);
    assertThat(named.topics()).as("neither described nor auto-created").isEmpty();
    MetadataResponseData answer = (MetadataResponseData) admission.complete(new MetadataResponseData());
    assertThat(answer.topics()).extracting(MetadataResponseTopic::name, MetadataResponseTopic::errorCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("secret", Errors.TOPIC_AUTHORIZATION_FAILED.code()));
  }

  @Test
  void offsetFetchOfAllTopicsLeavesOutTopicsThePrincipalMayNotDescribe() {
    RequestContext context = context(ApiKeys.OFFSET_FETCH, 9, deny(ResourceKind.TOPIC, "secret", AclOperation.ALL));
    OffsetFetchResponseData all = new OffsetFetchResponseData();
    OffsetFetchResponseData.OffsetFetchResponseGroup group = new OffsetFetchResponseData.OffsetFetchResponseGroup()
        .setGroupId("g");
    group.topics().add(new OffsetFetchResponseData.OffsetFetchResponseTopics().setName("secret"));
    group.topics().add(new OffsetFetchResponseData.OffsetFetchResponseTopics().setName("open"));
    all.groups().add(group);
    OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(List.of(
        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(null)));

    OffsetFetchResponseData answer = (OffsetFetchResponseData) new RequestAccess().admit(context, request)
        .complete(all);
    assertThat(answer.groups().get(0).topics()).extracting(OffsetFetchResponseData.OffsetFetchResponseTopics::name)
        .containsExactly("open");
  }

  @Test
  void groupApisAreRefusedAsAWholeWithGroupAuthorizationFailed() {
    RequestContext context = context(ApiKeys.JOIN_GROUP, 9, deny(ResourceKind.GROUP, "g", AclOperation.READ));
    assertThat(new RequestAccess().admit(context, new JoinGroupRequestData().setGroupId("g")).refusal())
        .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
    assertThat(new RequestAccess().admit(context, new JoinGroupRequestData().setGroupId("other")).refusal())
        .as("allow.everyone.if.no.acl.found").isEqualTo(Errors.NONE);
  }

  @Test
  void aclApisAnswerSecurityDisabledWithoutAnAuthorizer() throws Exception {
    var handler = new dev.queenj.kafka.acl.CreateAclsHandler(core.acls(), false);
    CreateAclsRequestData request = new CreateAclsRequestData().setCreations(List.of(
        new CreateAclsRequestData.AclCreation()));
    CreateAclsResponseData answer = handler.handle(context(ApiKeys.CREATE_ACLS, 3), request).toCompletableFuture()
        .get();
    assertThat(answer.results()).extracting(CreateAclsResponseData.AclCreationResult::errorCode)
        .containsExactly(Errors.SECURITY_DISABLED.code());
  }

  @Test
  void aclsThatCouldNeverMatchAreRefusedPerAcl() throws Exception {
    var handler = new dev.queenj.kafka.acl.CreateAclsHandler(core.acls(), true);
    CreateAclsRequestData request = new CreateAclsRequestData().setCreations(List.of(
        creation(org.apache.kafka.common.resource.ResourceType.TOPIC, "t", "broker.example.com"),
        creation(org.apache.kafka.common.resource.ResourceType.USER, "alice", "*"),
        creation(org.apache.kafka.common.resource.ResourceType.CLUSTER, "other-cluster", "*")));
    CreateAclsResponseData answer = handler.handle(context(ApiKeys.CREATE_ACLS, 3), request).toCompletableFuture()
        .get();
    assertThat(answer.results()).extracting(CreateAclsResponseData.AclCreationResult::errorCode)
        .containsOnly(Errors.INVALID_REQUEST.code());
    assertThat(answer.results().get(0).errorMessage()).contains("broker.example.com");
  }

  private static CreateAclsRequestData.AclCreation creation(org.apache.kafka.common.resource.ResourceType type,
      String name, String host) {
    return new CreateAclsRequestData.AclCreation().setResourceType(type.code()).setResourceName(name)
        .setResourcePatternType(org.apache.kafka.common.resource.PatternType.LITERAL.code())
        .setPrincipal("User:alice").setHost(host)
        .setOperation(org.apache.kafka.common.acl.AclOperation.READ.code())
        .setPermissionType(org.apache.kafka.common.acl.AclPermissionType.DENY.code());
  }

  private static AclBinding deny(ResourceKind kind, String name, AclOperation operation) {
    return new AclBinding(kind, name, PatternType.LITERAL, ALICE.toString(), "*", operation, AclPermission.DENY);
  }

  private static RequestContext context(ApiKeys api, int version, AclBinding... acls) {
    AclSnapshot snapshot = new AclSnapshot(List.of(acls));
    AclPolicy policy = acls.length == 0 ? AclPolicy.DISABLED
        : new AclPolicy(new AclSettings(true, Set.of(), true), () -> snapshot);
    return new RequestContext(new RequestHeader(api, (short) version, "test", 1),
        new InetSocketAddress("127.0.0.1", 5000), 0, new RequestOrder(), ALICE, policy);
  }
}
