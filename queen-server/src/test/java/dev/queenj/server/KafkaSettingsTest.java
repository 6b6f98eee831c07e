package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.kafka.KafkaConfig;
import dev.queenj.kafka.group.GroupConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kafka settings as environment variables and flags. */
class KafkaSettingsTest {

  @Test
  void defaultsMatchKafkas() {
    KafkaConfig kafka = ConfigLoader.load(new String[0], Map.of()).kafka();

    assertThat(kafka).isEqualTo(KafkaConfig.defaults());
    assertThat(kafka.maxRequestBytes()).isEqualTo(100 * 1024 * 1024);
    assertThat(kafka.autoCreateTopics()).isTrue();
    assertThat(kafka.groups()).isEqualTo(new GroupConfig(6_000, 1_800_000, 3_000, 4_096));
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
  void environmentVariablesAndFlagsSetThem() {
    KafkaConfig kafka = ConfigLoader.load(new String[] {"--kafka-max-request-bytes", "2048"},
        Map.of("QUEEN_KAFKA_AUTO_CREATE_TOPICS", "FALSE", "QUEEN_KAFKA_MAX_REQUEST_BYTES", "4096")).kafka();

    assertThat(kafka.autoCreateTopics()).isFalse();
    assertThat(kafka.maxRequestBytes()).isEqualTo(2048);
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
