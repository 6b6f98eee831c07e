package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.queenj.core.acl.AclSettings;
import dev.queenj.http.auth.JwtConfig;
import dev.queenj.server.TestServer.Reply;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Date;
import dev.queenj.kafka.security.KafkaSecurity;
import dev.queenj.kafka.security.Listener;
import dev.queenj.server.TestServer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.tools.AclCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka ACLs end to end with real clients on one server with the authorizer on. On its PLAINTEXT listener every
 * client is {@code User:ANONYMOUS}; {@code allow.everyone.if.no.acl.found} keeps the resources no ACL names open
 * and the cluster grants it ALL, and each test closes its own topic or group with ACLs. On its SASL_PLAINTEXT
 * listener users authenticate with SCRAM credentials and are {@code User:<name>}; on HTTP, JWT subjects are
 * {@code User:<sub>} and the same ACLs govern their queues (one principal model).
 */
class KafkaAclsTest {
  private static final int WAIT_SECONDS = 15;
  private static final String ANONYMOUS = "User:ANONYMOUS";
  private static final String JWT_SECRET = "a-shared-secret-of-at-least-32-bytes!";
  private static TestServer server;
  private static Admin admin;
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start() {
    KafkaSecurity security = KafkaSecurity.NONE.withListeners(Listener.parse("PLAINTEXT://:0,SASL_PLAINTEXT://:0"));
    JwtConfig jwt = new JwtConfig(true, "HS256", JWT_SECRET, "", "", 3600, 2000, "", "", 30,
        JwtConfig.skipPathList(JwtConfig.DEFAULT_SKIP_PATHS), "role", "roles", "admin", "read-write", "read-only");
    server = TestServer.start(TestServer.defaultHttp().withJwt(jwt), TestServer.kafka(true).withSecurity(security)
        .withAuthorizer(new AclSettings(true, Set.of("User:admin"), true)));
    admin = KafkaClients.admin(server);
    try {
      // the first cluster ACL closes the cluster to everyone it does not name
      create(acl(ResourceType.CLUSTER, "kafka-cluster", ANONYMOUS, AclOperation.ALL, AclPermissionType.ALLOW));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    admin.close();
    server.close();
  }

  private static AclBinding acl(ResourceType type, String name, String principal, AclOperation operation,
      AclPermissionType permission) {
    return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
        new AccessControlEntry(principal, "*", operation, permission));
  }

  private static void create(AclBinding... acls) throws Exception {
    admin.createAcls(List.of(acls)).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static Collection<AclBinding> delete(AclBindingFilter filter) throws Exception {
    return admin.deleteAcls(List.of(filter)).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static Collection<AclBinding> describe(AclBindingFilter filter) throws Exception {
    return admin.describeAcls(filter).values().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static AclBindingFilter onTopic(String topic) {
    return new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, topic, PatternType.ANY),
        AccessControlEntryFilter.ANY);
  }

  private void topicWithRecords(String topic, int records) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(topic, ("v" + i).getBytes())).get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void kafkaAclsAddsListsAndRemoves() throws Exception {
    String topic = "cli-" + id;
    KafkaCli.Result added = KafkaCli.tool(server, AclCommand::main, "--add", "--allow-principal", "User:alice",
        "--operation", "Read", "--operation", "Describe", "--topic", topic, "--group", "cli-group-" + id);
    assertThat(added.status()).as("%s", added).isZero();
    KafkaCli.Result prefixed = KafkaCli.tool(server, AclCommand::main, "--add", "--deny-principal", "User:bob",
        "--operation", "Write", "--topic", "pay-" + id, "--resource-pattern-type", "prefixed",
        "--transactional-id", "tx-" + id);
    assertThat(prefixed.status()).as("%s", prefixed).isZero();
    KafkaCli.Result cluster = KafkaCli.tool(server, AclCommand::main, "--add", "--allow-principal", "User:ops",
        "--operation", "Alter", "--cluster");
    assertThat(cluster.status()).as("%s", cluster).isZero();

    KafkaCli.Result listed = KafkaCli.tool(server, AclCommand::main, "--list", "--topic", topic);
    assertThat(listed.status()).as("%s", listed).isZero();
    assertThat(listed.out()).contains("name=" + topic, "patternType=LITERAL", "principal=User:alice",
        "operation=READ", "operation=DESCRIBE", "permissionType=ALLOW");
    assertThat(describe(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, "pay-" + id + "-in",
        PatternType.MATCH), AccessControlEntryFilter.ANY))).as("MATCH finds the prefixed ACL covering a name")
        .extracting(AclBinding::entry).extracting(AccessControlEntry::principal, AccessControlEntry::operation,
            AccessControlEntry::permissionType)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("User:bob", AclOperation.WRITE, AclPermissionType.DENY));

    KafkaCli.Result removed = KafkaCli.tool(server, AclCommand::main, "--remove", "--force", "--topic", topic,
        "--group", "cli-group-" + id);
    assertThat(removed.status()).as("%s", removed).isZero();
    assertThat(describe(onTopic(topic))).isEmpty();
    KafkaCli.Result clusterRemoved = KafkaCli.tool(server, AclCommand::main, "--remove", "--force",
        "--allow-principal", "User:ops", "--operation", "Alter", "--cluster");
    assertThat(clusterRemoved.status()).as("%s", clusterRemoved).isZero();
    assertThat(describe(new AclBindingFilter(new ResourcePatternFilter(ResourceType.CLUSTER, null, PatternType.ANY),
        AccessControlEntryFilter.ANY))).extracting(acl -> acl.entry().principal()).containsExactly(ANONYMOUS);
  }

  @Test
  void aConsumerDeniedReadGetsTopicAuthorizationFailedThenReadsOnceGranted() throws Exception {
    String topic = "read-" + id;
    topicWithRecords(topic, 2);
    create(acl(ResourceType.TOPIC, topic, "User:*", AclOperation.DESCRIBE, AclPermissionType.ALLOW),
        acl(ResourceType.TOPIC, topic, ANONYMOUS, AclOperation.READ, AclPermissionType.DENY));
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server,
        Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
      consumer.assign(List.of(partition));
      assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(WAIT_SECONDS)))
          .isInstanceOf(TopicAuthorizationException.class)
          .satisfies(e -> assertThat(((TopicAuthorizationException) e).unauthorizedTopics()).containsExactly(topic));

      delete(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, topic, PatternType.LITERAL),
          new AccessControlEntryFilter(ANONYMOUS, null, AclOperation.READ, AclPermissionType.DENY)));
      create(acl(ResourceType.TOPIC, topic, ANONYMOUS, AclOperation.READ, AclPermissionType.ALLOW));
      int read = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (read < 2 && System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        read += records.count();
      }
      assertThat(read).isEqualTo(2);
    }
  }

  @Test
  void aProducerDeniedWriteGetsTopicAuthorizationFailed() throws Exception {
    String topic = "write-" + id;
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
    create(acl(ResourceType.TOPIC, topic, "User:*", AclOperation.DESCRIBE, AclPermissionType.ALLOW),
        acl(ResourceType.TOPIC, topic, ANONYMOUS, AclOperation.WRITE, AclPermissionType.DENY));
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "v".getBytes()))
          .get(WAIT_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void aTransactionalProducerDeniedItsTransactionalIdGetsTransactionalIdAuthorizationFailed() throws Exception {
    String transactionalId = "tx-" + id;
    create(acl(ResourceType.TRANSACTIONAL_ID, transactionalId, ANONYMOUS, AclOperation.WRITE,
        AclPermissionType.DENY));
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server,
        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId))) {
      assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
    }
  }

  @Test
  void aConsumerDeniedGroupReadGetsGroupAuthorizationFailed() throws Exception {
    String topic = "group-" + id;
    String group = "denied-" + id;
    topicWithRecords(topic, 1);
    create(acl(ResourceType.GROUP, group, ANONYMOUS, AclOperation.READ, AclPermissionType.DENY));
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server,
        Map.of(ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
      consumer.subscribe(List.of(topic));
      assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(WAIT_SECONDS)))
          .isInstanceOf(GroupAuthorizationException.class);
    }
  }

  @Test
  void topicsThePrincipalMayNotDescribeAreLeftOutOfListings() throws Exception {
    String hidden = "hidden-" + id;
    String visible = "visible-" + id;
    admin.createTopics(List.of(new NewTopic(hidden, 1, (short) 1), new NewTopic(visible, 1, (short) 1))).all()
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
    create(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "hidden-", PatternType.PREFIXED),
        new AccessControlEntry(ANONYMOUS, "*", AclOperation.ALL, AclPermissionType.DENY)));
    try {
      assertThat(admin.listTopics().names().get(WAIT_SECONDS, TimeUnit.SECONDS)).contains(visible)
          .doesNotContain(hidden);
    } finally {
      delete(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, "hidden-", PatternType.PREFIXED),
          AccessControlEntryFilter.ANY));
    }
  }

  /** A client of the SASL_PLAINTEXT listener, authenticated as {@code user} with SCRAM-SHA-256. */
  private static Map<String, Object> as(String user) {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        "localhost:" + server.kafkaPort(SecurityProtocol.SASL_PLAINTEXT),
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name,
        SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-256",
        SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user + "\" password=\"" + user + "-secret\";");
  }

  @Test
  void saslUsersAreTheirOwnPrincipalsOneAllowedOneDenied() throws Exception {
    String alice = "alice-" + id;
    String bob = "bob-" + id;
    String topic = "users-" + id;
    admin.alterUserScramCredentials(List.of(
        new UserScramCredentialUpsertion(alice, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
            alice + "-secret"),
        new UserScramCredentialUpsertion(bob, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
            bob + "-secret"))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
    create(acl(ResourceType.TOPIC, topic, "User:" + alice, AclOperation.WRITE, AclPermissionType.ALLOW),
        acl(ResourceType.TOPIC, topic, "User:" + alice, AclOperation.READ, AclPermissionType.ALLOW));

    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, as(alice))) {
      producer.send(new ProducerRecord<>(topic, "from-alice".getBytes())).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, as(alice))) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
      ConsumerRecords<byte[], byte[]> records = ConsumerRecords.empty();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (records.isEmpty() && System.nanoTime() < deadline) {
        records = consumer.poll(Duration.ofMillis(200));
      }
      assertThat(records.count()).isEqualTo(1);
    }
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, as(bob))) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "from-bob".getBytes()))
          .get(WAIT_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void theSameAclsGovernAQueueOnHttpForJwtSubjects() throws Exception {
    String queue = "http-q-" + id;
    String group = "http-g-" + id;
    String closedGroup = "http-closed-" + id;
    String alice = "alice-" + id;
    create(acl(ResourceType.TOPIC, queue, "User:" + alice, AclOperation.WRITE, AclPermissionType.ALLOW),
        acl(ResourceType.TOPIC, queue, "User:" + alice, AclOperation.READ, AclPermissionType.ALLOW),
        acl(ResourceType.GROUP, group, "User:" + alice, AclOperation.READ, AclPermissionType.ALLOW),
        acl(ResourceType.GROUP, closedGroup, "User:carol", AclOperation.READ, AclPermissionType.ALLOW),
        acl(ResourceType.TOPIC, "other-" + id, "User:carol", AclOperation.WRITE, AclPermissionType.ALLOW));
    String aliceToken = token(alice, "read-write");
    String bobToken = token("bob-" + id, "read-write");
    String push = "{\"items\":[{\"queue\":\"" + queue + "\",\"payload\":{\"n\":1}}]}";

    assertThat(send("POST", "/api/v1/push", aliceToken, push).status()).isBetween(200, 299);
    Reply refused = send("POST", "/api/v1/push", bobToken, push);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().get("error").asText()).contains("WRITE", queue, "User:bob-" + id);

    String pop = "/api/v1/pop/queue/" + queue + "?wait=false&consumerGroup=";
    assertThat(send("GET", pop + group, aliceToken, null).status()).isBetween(200, 299);
    assertThat(send("GET", pop + closedGroup, aliceToken, null).status()).as("group READ").isEqualTo(403);
    assertThat(send("GET", pop + group, bobToken, null).status()).isEqualTo(403);

    // streams: a query READs its source and WRITEs its sink; a cycle WRITEs its pushes and READs its ack's group
    String query = "{\"name\":\"" + queue + "\",\"source_queue\":\"" + queue + "\",\"config_hash\":\"h\","
        + "\"sink_queue\":";
    Reply registered = send("POST", "/streams/v1/queries", aliceToken, query + "\"" + queue + "\"}");
    assertThat(registered.status()).as("%s", registered.body()).isEqualTo(200);
    assertThat(send("POST", "/streams/v1/queries", bobToken, query + "null}").status()).isEqualTo(403);
    assertThat(send("POST", "/streams/v1/queries", aliceToken, query + "\"other-" + id + "\"}").status())
        .as("sink WRITE").isEqualTo(403);
    String cycle = "{\"query_id\":\"" + registered.body().get("query_id").asText() + "\",\"partition_id\":\""
        + java.util.UUID.randomUUID() + "\",\"push_items\":[{\"queue\":\"" + queue + "\"}],"
        + "\"ack\":{\"transactionId\":\"t\"},\"consumer_group\":";
    assertThat(send("POST", "/streams/v1/cycle", aliceToken, cycle + "\"" + group + "\"}").status()).isEqualTo(200);
    assertThat(send("POST", "/streams/v1/cycle", aliceToken, cycle + "\"" + closedGroup + "\"}").status())
        .as("group READ").isEqualTo(403);
    assertThat(send("POST", "/streams/v1/cycle", bobToken, cycle + "\"" + group + "\"}").status()).isEqualTo(403);

    assertThat(send("DELETE", "/api/v1/resources/queues/" + queue, aliceToken, null).status()).isEqualTo(403);
    assertThat(send("DELETE", "/api/v1/resources/queues/" + queue, token(alice, "admin"), null).status())
        .as("the admin role is a super user").isBetween(200, 299);
  }

  private static String token(String subject, String role) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).claim("role", role).issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new MACSigner(JWT_SECRET));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static Reply send(String method, String path, String token, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).method(method, json == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .header("Authorization", "Bearer " + token);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return server.send(request);
  }
}
