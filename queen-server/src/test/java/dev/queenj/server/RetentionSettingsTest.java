package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.retention.RetentionConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queen's retention settings, under Queen's names, as environment variables and flags. */
class RetentionSettingsTest {

  @Test
  void defaultsAreQueens() {
    RetentionConfig retention = ConfigLoader.load(new String[0], Map.of()).retention();

    assertThat(retention).isEqualTo(new RetentionConfig(300_000, 1_000, 60_000, 7, 30_000));
    // Kafka's producer.id.expiration.ms and transactional.id.expiration.ms defaults: a day, seven days
    assertThat(retention.producerIdExpirationMs()).isEqualTo(86_400_000);
    assertThat(retention.transactionalIdExpirationMs()).isEqualTo(604_800_000);
    assertThat(ConfigLoader.help()).contains("RETENTION_INTERVAL", "RETENTION_BATCH_SIZE", "EVICTION_INTERVAL",
        "PARTITION_CLEANUP_DAYS", "COMPACTION_INTERVAL", "--retention-batch-size",
        "QUEEN_KAFKA_PRODUCER_ID_EXPIRATION_MS", "--kafka-transactional-id-expiration-ms");
  }

  @Test
  void environmentVariablesAndFlagsSetThem() {
    RetentionConfig retention = ConfigLoader.load(new String[] {"--retention-batch-size", "500",
            "--partition-cleanup-days=2"},
        Map.of("RETENTION_INTERVAL", "10000", "RETENTION_BATCH_SIZE", "50", "EVICTION_INTERVAL", "5000",
            "COMPACTION_INTERVAL", "15000")).retention();

    assertThat(retention).isEqualTo(new RetentionConfig(10_000, 500, 5_000, 2, 15_000));
  }

  @Test
  void kafkasExpirationsAreSetUnderKafkasNames() {
    RetentionConfig retention = ConfigLoader.load(new String[] {"--kafka-transactional-id-expiration-ms", "7200000"},
        Map.of("QUEEN_KAFKA_PRODUCER_ID_EXPIRATION_MS", "3600000")).retention();

    assertThat(retention.producerIdExpirationMs()).isEqualTo(3_600_000);
    assertThat(retention.transactionalIdExpirationMs()).isEqualTo(7_200_000);
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_KAFKA_PRODUCER_ID_EXPIRATION_MS", "0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUEEN_KAFKA_PRODUCER_ID_EXPIRATION_MS");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0],
        Map.of("QUEEN_KAFKA_TRANSACTIONAL_ID_EXPIRATION_MS", "99999999999")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("QUEEN_KAFKA_TRANSACTIONAL_ID_EXPIRATION_MS");
  }

  @Test
  void invalidValuesAreRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("RETENTION_BATCH_SIZE", "0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RETENTION_BATCH_SIZE");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--eviction-interval", "soon"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("EVICTION_INTERVAL must be an integer, got 'soon'");
  }
}
