package dev.queenj.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The image built from the repository's Dockerfile, under Testcontainers. Skipped where no Docker engine runs (as on
 * the machines this project is built on, so this test has not run there).
 */
@Testcontainers(disabledWithoutDocker = true)
class QueenJContainerTest {
  @Container
  static final QueenJContainer QUEEN = new QueenJContainer(
      new ImageFromDockerfile("queen-j-test", false).withFileFromPath(".", Path.of("..").toAbsolutePath().normalize()));

  @Test
  void kafkaClientsOnTheHostProduceAndConsume() throws Exception {
    try (var producer = new KafkaProducer<>(EmbeddedQueenJTest.producerConfig(QUEEN.getBootstrapServers()),
        new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("in-a-container", "k", "v")).get();
    }
    List<String> values = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(EmbeddedQueenJTest.consumerConfig(QUEEN.getBootstrapServers()),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("in-a-container"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    assertThat(values).containsExactly("v");
  }
}
