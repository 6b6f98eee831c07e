package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.testing.Eventually;
import dev.queenj.kafka.group.GroupConfig;
import dev.queenj.kafka.security.KafkaSecurity;
import dev.queenj.kafka.security.Listener;
import dev.queenj.kafka.security.TlsSettings;
import dev.queenj.kafka.testing.KafkaConnection;
import dev.queenj.kafka.testing.KafkaFrames;
import dev.queenj.kafka.testing.TestCertificates;
import dev.queenj.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kafka authentication with real clients against one server listening four ways at once (PLAINTEXT, SSL with
 * optional client certificates, SASL_PLAINTEXT, SASL_SSL), with a short SASL session lifetime so that long enough
 * connections re-authenticate (KIP-368), and an administrator created from configuration.
 */
class KafkaSecurityTest {
  private static final String ADMIN = "admin";
  private static final String ADMIN_PASSWORD = "admin-secret";
  private static final long REAUTH_MS = 1_500;
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** As {@link KafkaClients}' (a producer's delivery timeout is built on it). */
  private static final int CLIENT_TIMEOUT_MS = 15_000;
  private static TestCertificates certificates;
  private static TestServer server;

  @BeforeAll
  static void start() {
    certificates = TestCertificates.create();
    KafkaSecurity security = new KafkaSecurity(
        Listener.parse("PLAINTEXT://:0,SSL://:0,SASL_PLAINTEXT://:0,SASL_SSL://:0"),
        new TlsSettings(certificates.file("server.pem").toString(), certificates.file("server.key").toString(), "",
            certificates.file("ca.pem").toString(), "requested"),
        KafkaSecurity.mechanisms(KafkaSecurity.DEFAULT_MECHANISMS), REAUTH_MS, ADMIN, ADMIN_PASSWORD);
    server = TestServer.start(TestServer.defaultHttp(), TestServer.kafka(true).withSecurity(security)
        .withGroups(GroupConfig.of(GroupConfig.DEFAULT_MIN_SESSION_TIMEOUT_MS, GroupConfig.DEFAULT_MAX_SESSION_TIMEOUT_MS,
            0)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void scramSha512OverSaslSslProducesAndConsumes() throws Exception {
    Map<String, Object> client = sasl(SecurityProtocol.SASL_SSL, "SCRAM-SHA-512", ADMIN, ADMIN_PASSWORD);

    assertThat(roundTrip(client, "secure-scram-512")).containsExactly("v0", "v1", "v2");
  }

  @Test
  void aConsumerGroupFindsItsCoordinatorOnTheListenerItCameIn() throws Exception {
    Map<String, Object> client = sasl(SecurityProtocol.SASL_SSL, "SCRAM-SHA-512", ADMIN, ADMIN_PASSWORD);
    roundTrip(client, "secure-group");
    client.put(ConsumerConfig.GROUP_ID_CONFIG, "secure-group-readers");
    client.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();

    // FindCoordinator (and Metadata) must name this listener's port, or the group's requests would reach another
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, client)) {
      consumer.subscribe(List.of("secure-group"));
      Eventually.until(WAIT, () -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        return values.size() >= 3;
      }, () -> "consumed " + values);
      consumer.commitSync();
    }

    assertThat(values).containsExactly("v0", "v1", "v2");
  }

  @Test
  void sslWithAClientCertificateProducesAndConsumes() throws Exception {
    Map<String, Object> client = tls(SecurityProtocol.SSL);
    client.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
    client.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, certificates.file("client-keystore.pem").toString());

    assertThat(roundTrip(client, "secure-ssl")).containsExactly("v0", "v1", "v2");
  }

  @Test
  void usersManagedWithTheAdminApiAuthenticateWithScramAndPlain() throws Exception {
    // the requests kafka-configs.sh --entity-type users sends (--add-config 'SCRAM-SHA-256=[...]', --describe)
    try (Admin admin = KafkaClients.admin(server)) {
      admin.alterUserScramCredentials(List.of(
          new UserScramCredentialUpsertion("carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
              "carol-secret"),
          new UserScramCredentialUpsertion("carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
              "carol-secret"))).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

      assertThat(admin.describeUserScramCredentials().all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .containsOnlyKeys(ADMIN, "carol")
          .extractingByKey("carol").extracting(UserScramCredentialsDescription::credentialInfos)
          .asInstanceOf(InstanceOfAssertFactories.list(ScramCredentialInfo.class))
          .containsExactlyInAnyOrder(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
              new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096));

      assertThat(roundTrip(sasl(SecurityProtocol.SASL_PLAINTEXT, "PLAIN", "carol", "carol-secret"), "secure-plain"))
          .containsExactly("v0", "v1", "v2");
      assertThat(roundTrip(sasl(SecurityProtocol.SASL_PLAINTEXT, "SCRAM-SHA-256", "carol", "carol-secret"),
          "secure-scram-256")).containsExactly("v0", "v1", "v2");

      admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_512)))
          .all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(admin.describeUserScramCredentials(List.of("carol")).description("carol")
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS).credentialInfos())
          .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192));
      assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("nobody")).description("nobody")
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).cause().isInstanceOf(ResourceNotFoundException.class);
      assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("carol",
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 100), "x"))).all()
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).cause().isInstanceOf(UnacceptableCredentialException.class);
    }
  }

  @Test
  void aWrongPasswordFailsWithSaslAuthenticationException() {
    for (String mechanism : List.of("SCRAM-SHA-512", "PLAIN")) {
      try (Admin admin = Admin.create(sasl(SecurityProtocol.SASL_PLAINTEXT, mechanism, ADMIN, "wrong"))) {
        assertThatThrownBy(() -> admin.listTopics().names().get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
            .as(mechanism).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("Authentication failed");
      }
    }
  }

  @Test
  void aConnectionOutlivingItsSessionReauthenticatesAndKeepsWorking() throws Exception {
    Map<String, Object> client = sasl(SecurityProtocol.SASL_SSL, "SCRAM-SHA-256", ADMIN, ADMIN_PASSWORD);
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, client)) {
      Eventually.until(WAIT, () -> {
        try {
          producer.send(new ProducerRecord<>("secure-reauth", 0, null, bytes("again"))).get();
        } catch (InterruptedException | ExecutionException e) {
          throw new AssertionError("a send failed while the session was renewed", e);
        }
        return reauthentications(producer) >= 1;
      }, () -> "re-authentications: " + reauthentications(producer));
    }
  }

  @Test
  void kcatAuthenticatesWithPlainAndOverTls() throws Exception {
    Kcat.assumeInstalled("KafkaSecurityTest.kcatAuthenticatesWithPlainAndOverTls");

    Kcat.run("k1:one\nk2:two\n", kcat(SecurityProtocol.SASL_PLAINTEXT, "PLAIN", "-P", "-t", "secure-kcat", "-p",
        "0", "-K", ":"));
    String consumed = Kcat.run(null, kcat(SecurityProtocol.SASL_SSL, "PLAIN", "-C", "-t", "secure-kcat", "-p", "0",
        "-o", "beginning", "-e", "-c", "2", "-f", "%k=%s\\n"));

    assertThat(consumed.lines().toList()).containsExactly("k1=one", "k2=two");
  }

  @Test
  void kcatWithScramSha256IsServedAsKafka4ServesIt() throws Exception {
    Kcat.assumeInstalled("KafkaSecurityTest.kcatWithScramSha256IsServedAsKafka4ServesIt");
    String[] produce = kcat(SecurityProtocol.SASL_PLAINTEXT, "SCRAM-SHA-256", "-P", "-t", "secure-kcat-scram", "-p",
        "0", "-K", ":");

    if (Kcat.scramNonceFixed()) {
      Kcat.run("k:v\n", produce);
      assertThat(Kcat.run(null, kcat(SecurityProtocol.SASL_PLAINTEXT, "SCRAM-SHA-256", "-C", "-t",
          "secure-kcat-scram", "-p", "0", "-o", "beginning", "-e", "-c", "1", "-f", "%k=%s\\n"))).isEqualTo("k=v\n");
    } else {
      // librdkafka before 2.6.1 repeats the client nonce in its final message; Kafka 4 refuses that too
      Kcat.Result refused = Kcat.exec("k:v\n", produce);
      assertThat(refused.status()).isNotZero();
      assertThat(refused.err()).contains("Authentication failed");
    }
  }

  /** kcat's arguments for {@code protocol}'s listener as the administrator, then {@code command}. */
  private static String[] kcat(SecurityProtocol protocol, String mechanism, String... command) {
    String[] connection = {"-b", "localhost:" + server.kafkaPort(protocol), "-X", "security.protocol=" + protocol.name.toLowerCase(Locale.ROOT),
        "-X", "sasl.mechanisms=" + mechanism, "-X", "sasl.username=" + ADMIN, "-X", "sasl.password=" + ADMIN_PASSWORD,
        "-X", "ssl.ca.location=" + certificates.file("ca.pem")};
    return concat(connection, command);
  }

  private static String[] concat(String[] first, String... then) {
    return Stream.concat(Stream.of(first), Stream.of(then)).toArray(String[]::new);
  }

  @Test
  void anUnsupportedMechanismIsRefusedWithTheEnabledOnes() {
    for (String mechanism : List.of("GSSAPI", "OAUTHBEARER")) {
      try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort(SecurityProtocol.SASL_PLAINTEXT))) {
        SaslHandshakeResponse answer = connection.roundTrip(new SaslHandshakeRequest.Builder(
            new SaslHandshakeRequestData().setMechanism(mechanism)).build((short) 1));
        assertThat(Errors.forCode(answer.data().errorCode())).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(answer.data().mechanisms()).containsExactly("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
        assertThat(connection.closedByServer()).isTrue();
      }
    }
  }

  @Test
  void aPlaintextListenerAnswersSaslHandshakeWithIllegalSaslState() {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort(SecurityProtocol.PLAINTEXT))) {
      SaslHandshakeResponse answer = connection.roundTrip(new SaslHandshakeRequest.Builder(
          new SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 1));
      assertThat(Errors.forCode(answer.data().errorCode())).isEqualTo(Errors.ILLEGAL_SASL_STATE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outOfOrder")
  void badSaslInputClosesThatConnectionOnly(String what, List<byte[]> frames, boolean answeredFirst) {
    int port = server.kafkaPort(SecurityProtocol.SASL_PLAINTEXT);
    try (KafkaConnection offender = KafkaConnection.open(port)) {
      for (int i = 0; i < frames.size() - 1; i++) {
        offender.send(frames.get(i));
        offender.receive();
      }
      offender.send(frames.get(frames.size() - 1));
      if (answeredFirst) {
        SaslAuthenticateResponse answer = KafkaFrames.response(offender.receive(),
            KafkaFrames.header(ApiKeys.SASL_AUTHENTICATE, 2, 2));
        assertThat(Errors.forCode(answer.data().errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
        assertThat(answer.data().errorMessage()).startsWith("Authentication failed");
      }
      assertThat(offender.closedByServer()).as("closed by the server").isTrue();
    }
    try (KafkaConnection next = KafkaConnection.open(port)) {
      ApiVersionsResponse versions = next.roundTrip(new ApiVersionsRequest.Builder().build((short) 3));
      assertThat(Errors.forCode(versions.data().errorCode())).isEqualTo(Errors.NONE);
      assertThat(Errors.forCode(plainAuthentication(next, ADMIN, ADMIN_PASSWORD).data().errorCode()))
          .isEqualTo(Errors.NONE);
    }
  }

  static Stream<Arguments> outOfOrder() {
    byte[] handshakeScram = frame(ApiKeys.SASL_HANDSHAKE, 1, 1, new SaslHandshakeRequest.Builder(
        new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-512")).build((short) 1));
    byte[] garbage = frame(ApiKeys.SASL_AUTHENTICATE, 2, 2, new SaslAuthenticateRequest.Builder(
        new SaslAuthenticateRequestData().setAuthBytes(new byte[] {(byte) 0xde, (byte) 0xad, 0, 1, 2}))
        .build((short) 2));
    byte[] metadata = frame(ApiKeys.METADATA, 12, 1, MetadataRequest.Builder.allTopics().build((short) 12));
    byte[] handshakeV0 = frame(ApiKeys.SASL_HANDSHAKE, 0, 1, new SaslHandshakeRequest.Builder(
        new SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 0));
    return Stream.of(
        Arguments.of("Metadata before authenticating", List.of(metadata), false),
        Arguments.of("SaslAuthenticate before SaslHandshake", List.of(garbage), false),
        Arguments.of("SaslHandshake v0 (unframed tokens)", List.of(handshakeV0), false),
        Arguments.of("garbage SCRAM bytes", List.of(handshakeScram, garbage), true));
  }

  private static byte[] frame(ApiKeys api, int version, int correlationId, AbstractRequest request) {
    return KafkaFrames.bytes(KafkaFrames.frame(KafkaFrames.header(api, version, correlationId), request));
  }

  private static SaslAuthenticateResponse plainAuthentication(KafkaConnection connection, String user,
      String password) {
    SaslHandshakeResponse handshake = connection.roundTrip(new SaslHandshakeRequest.Builder(
        new SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 1));
    assertThat(Errors.forCode(handshake.data().errorCode())).isEqualTo(Errors.NONE);
    return connection.roundTrip(new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData()
        .setAuthBytes(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8))).build((short) 2));
  }

  private static double reauthentications(KafkaProducer<byte[], byte[]> producer) {
    return producer.metrics().entrySet().stream()
        .filter(metric -> metric.getKey().name().equals("successful-reauthentication-total"))
        .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue()).sum();
  }

  private static Map<String, Object> sasl(SecurityProtocol protocol, String mechanism, String user, String password) {
    Map<String, Object> client = protocol == SecurityProtocol.SASL_SSL ? tls(protocol) : new HashMap<>(Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + server.kafkaPort(protocol),
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name));
    String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    client.put(SaslConfigs.SASL_MECHANISM, mechanism);
    client.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + user + "\" password=\"" + password
        + "\";");
    client.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, CLIENT_TIMEOUT_MS);
    client.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, CLIENT_TIMEOUT_MS);
    return client;
  }

  private static Map<String, Object> tls(SecurityProtocol protocol) {
    return new HashMap<>(Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + server.kafkaPort(protocol),
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name,
        SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM",
        SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, certificates.pem("ca.pem")));
  }

  /** Produces v0..v2 to partition 0 of {@code topic} and reads them back, all through {@code client}'s listener. */
  private static List<String> roundTrip(Map<String, Object> client, String topic) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, client)) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(topic, 0, null, bytes("v" + i))).get(WAIT.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
    List<String> values = new ArrayList<>();
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, client)) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      Eventually.until(WAIT, () -> {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
        return values.size() >= 3;
      }, () -> "consumed " + values);
    }
    return values;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
