package dev.queenj.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension registered in code, with settings chosen there. */
class RegisteredExtensionTest {
  @RegisterExtension
  static final QueenJExtension QUEEN = new QueenJExtension().withAutoCreateTopics(false);

  @Test
  void unknownTopicsAreNotCreatedWhenAutoCreationIsOff(QueenJ queen) throws Exception {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, queen.bootstrapServers());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1500");
    try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      assertThatThrownBy(() -> producer.partitionsFor("never-created")).isInstanceOf(TimeoutException.class);
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, queen.bootstrapServers()))) {
      assertThat(admin.listTopics().names().get()).doesNotContain("never-created");
    }
  }
}
