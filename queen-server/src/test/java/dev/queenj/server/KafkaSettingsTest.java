package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.acl.AclSettings;
import dev.queenj.kafka.KafkaConfig;
import dev.queenj.kafka.group.GroupConfig;
import dev.queenj.kafka.security.Listener;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Kafka settings as environment variables and flags. */
class KafkaSettingsTest {

  @Test
  void defaultsMatchKafkas() {
    KafkaConfig kafka = ConfigLoader.load(new String[0], Map.of()).kafka();

    assertThat(kafka).isEqualTo(KafkaConfig.defaults());
    assertThat(kafka.maxRequestBytes()).isEqualTo(100 * 1024 * 1024);
    assertThat(kafka.autoCreateTopics()).isTrue();
    assertThat(kafka.transactionMaxTimeoutMs()).isEqualTo(900_000);
    assertThat(kafka.transactionCleanupIntervalMs()).isEqualTo(10_000);
  }

  @Test
  void theGroupCoordinatorsSettingsAreReadAsKafkaNamesThem() {
    KafkaConfig kafka = ConfigLoader.load(new String[] {"--kafka-group-initial-rebalance-delay-ms=0"},
        Map.of("QUEEN_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "1000",
            "QUEEN_KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS", "60000")).kafka();

    assertThat(kafka.groups()).isEqualTo(GroupConfig.of(1_000, 60_000, 0));
  }

  @Test
  void invalidGroupSettingsAreRefusedAtStartUp() {
    assertThatThrownBy(() -> ConfigLoader.load(new String[0],
        Map.of("QUEEN_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("QUEEN_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS must not be negative, got -1");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--kafka-group-initial-rebalance-delay-ms", "soon"},
        Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("QUEEN_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS must be an integer, got 'soon'");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS",
        "-5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("QUEEN_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS must not be negative, got -5");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS",
        "10000", "QUEEN_KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS", "9000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("QUEEN_KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS (9000) must not be below "
            + "QUEEN_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS (10000)");
  }

  @Test
  void theAuthorizerIsReadAsKafkaNamesItsSettings() {
    assertThat(ConfigLoader.load(new String[0], Map.of()).kafka().authorizer()).isEqualTo(AclSettings.DISABLED);
    KafkaConfig kafka = ConfigLoader.load(new String[] {"--kafka-authorizer-enabled", "true"}, Map.of(
        "QUEEN_KAFKA_SUPER_USERS", "User:admin; User:ops", "QUEEN_KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "true"))
        .kafka();

    assertThat(kafka.authorizer()).isEqualTo(new AclSettings(true, Set.of("User:admin", "User:ops"), true));
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_KAFKA_SUPER_USERS", "admin")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUEEN_KAFKA_SUPER_USERS");
  }

  @Test
  void environmentVariablesAndFlagsSetThem() {
    KafkaConfig kafka = ConfigLoader.load(new String[] {"--kafka-max-request-bytes", "2048"},
        Map.of("QUEEN_KAFKA_AUTO_CREATE_TOPICS", "FALSE", "QUEEN_KAFKA_MAX_REQUEST_BYTES", "4096")).kafka();

    assertThat(kafka.autoCreateTopics()).isFalse();
    assertThat(kafka.maxRequestBytes()).isEqualTo(2048);
  }

  @Test
  void listenersAndSaslAreReadTheKafkaWay() {
    KafkaConfig kafka = ConfigLoader.load(new String[] {"--kafka-connections-max-reauth-ms", "60000"}, Map.of(
        "QUEEN_KAFKA_LISTENERS", "plaintext://127.0.0.1:9092, SASL_SSL://:9093,SASL_PLAINTEXT://[::1]:9094",
        "QUEEN_KAFKA_SSL_CERTIFICATE_LOCATION", "/etc/kafka.pem", "QUEEN_KAFKA_SSL_KEY_LOCATION", "/etc/kafka.key",
        "QUEEN_KAFKA_SSL_CLIENT_AUTH", "Required", "QUEEN_KAFKA_SASL_ENABLED_MECHANISMS", "scram-sha-512",
        "QUEEN_KAFKA_SASL_ADMIN_USER", "admin", "QUEEN_KAFKA_SASL_ADMIN_PASSWORD", "secret")).kafka();

    assertThat(kafka.listeners()).containsExactly(new Listener(SecurityProtocol.PLAINTEXT, "127.0.0.1", 9092),
        new Listener(SecurityProtocol.SASL_SSL, "", 9093), new Listener(SecurityProtocol.SASL_PLAINTEXT, "::1", 9094));
    assertThat(kafka.security().saslMechanisms()).containsExactly("SCRAM-SHA-512");
    assertThat(kafka.security().tls().clientAuth()).isEqualTo("required");
    assertThat(kafka.security().maxReauthMs()).isEqualTo(60_000);
    assertThat(kafka.security().toString()).contains("adminUser=admin").doesNotContain("secret");
    assertThat(ConfigLoader.load(new String[0], Map.of("QUEEN_KAFKA_PORT", "9999")).kafka().listeners())
        .containsExactly(Listener.plaintext(9999));
  }

  @Test
  void securitySettingsThatCannotWorkAreRefusedAtStartUp() {
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_KAFKA_LISTENERS", "SSL://:9093")))
        .hasMessageContaining("needs QUEEN_KAFKA_SSL_CERTIFICATE_LOCATION and QUEEN_KAFKA_SSL_KEY_LOCATION");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_KAFKA_LISTENERS", "INTERNAL://:9093")))
        .hasMessageContaining("listener 'INTERNAL' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0],
        Map.of("QUEEN_KAFKA_LISTENERS", "PLAINTEXT://:9092,PLAINTEXT://:9093")))
        .hasMessageContaining("PLAINTEXT is listed twice");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0],
        Map.of("QUEEN_KAFKA_SASL_ENABLED_MECHANISMS", "GSSAPI,PLAIN")))
        .hasMessageContaining("GSSAPI is not supported");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_KAFKA_SSL_CLIENT_AUTH", "maybe")))
        .hasMessage("QUEEN_KAFKA_SSL_CLIENT_AUTH must be none, requested or required, got maybe");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_KAFKA_SASL_ADMIN_USER", "admin")))
        .hasMessageContaining("are set together or not at all");
  }

  @Test
  void transactionSettingsTakeKafkasNames() {
    KafkaConfig kafka = ConfigLoader.load(new String[] {"--kafka-transaction-max-timeout-ms", "60000"},
        Map.of("QUEEN_KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS", "500")).kafka();

    assertThat(kafka.transactionMaxTimeoutMs()).isEqualTo(60_000);
    assertThat(kafka.transactionCleanupIntervalMs()).isEqualTo(500);
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_KAFKA_TRANSACTION_MAX_TIMEOUT_MS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("QUEEN_KAFKA_TRANSACTION_MAX_TIMEOUT_MS must be positive");
  }

  @Test
  void invalidValuesAreRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--kafka-auto-create-topics=yes"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("QUEEN_KAFKA_AUTO_CREATE_TOPICS must be true or false, got 'yes'");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_KAFKA_MAX_REQUEST_BYTES", "10")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("QUEEN_KAFKA_MAX_REQUEST_BYTES must be at least 1024");
  }
}
