package dev.queenj.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The annotation as a user writes it: real Kafka clients and an HTTP client against the injected broker. */
@EmbeddedQueenJ(partitions = 3)
class EmbeddedQueenJTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static String classBroker;

  @BeforeAll
  static void rememberTheClassBroker(QueenJ queen) {
    classBroker = queen.bootstrapServers();
  }

  @Test
  void kafkaClientsProduceAndConsumeThroughTheInjectedAddress(QueenJ queen) throws Exception {
    try (var producer = new KafkaProducer<>(producerConfig(queen.bootstrapServers()), new StringSerializer(),
        new StringSerializer())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("orders", "key-" + i, "value-" + i)).get();
      }
    }

    List<String> values = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(consumerConfig(queen.bootstrapServers()), new StringDeserializer(),
        new StringDeserializer())) {
      consumer.subscribe(List.of("orders"));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (values.size() < 10 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    assertThat(values).containsExactlyInAnyOrder("value-0", "value-1", "value-2", "value-3", "value-4", "value-5",
        "value-6", "value-7", "value-8", "value-9");
  }

  @Test
  void autoCreatedTopicsHaveTheAnnotationsPartitions(QueenJ queen) throws Exception {
    try (var producer = new KafkaProducer<>(producerConfig(queen.bootstrapServers()), new StringSerializer(),
        new StringSerializer())) {
      producer.send(new ProducerRecord<>("partitioned", "k", "v")).get();
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, queen.bootstrapServers()))) {
      var description = admin.describeTopics(Set.of("partitioned")).allTopicNames().get().get("partitioned");
      assertThat(description.partitions()).hasSize(3);
    }
  }

  @Test
  void groupsRebalanceWithoutTheInitialDelay(QueenJ queen) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, queen.bootstrapServers()))) {
      String brokerId = String.valueOf(admin.describeCluster().nodes().get().iterator().next().id());
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokerId);
      Config configs = admin.describeConfigs(Set.of(broker)).all().get().get(broker);
      assertThat(configs.get("group.initial.rebalance.delay.ms").value()).isEqualTo("0");
    }
  }

  @Test
  void theNativeHttpApiAnswersAtTheHttpUrl(QueenJ queen) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(queen.httpUrl() + "/health/ready"))
        .timeout(WAIT).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
  }

  @Test
  void theAddressesAreSystemPropertiesWhileTheClassRuns(QueenJ queen) {
    assertThat(System.getProperty(QueenJ.BOOTSTRAP_SERVERS_PROPERTY)).isEqualTo(queen.bootstrapServers());
    assertThat(System.getProperty(QueenJ.HTTP_URL_PROPERTY)).isEqualTo(queen.httpUrl());
    // Spring is not on this module's classpath, so its property is left alone
    assertThat(System.getProperty(QueenJ.SPRING_BOOTSTRAP_SERVERS_PROPERTY)).isNull();
  }

  @Nested
  class Nested_classes {
    @Test
    void shareTheEnclosingClassBroker(QueenJ queen) {
      assertThat(queen.bootstrapServers()).isEqualTo(classBroker);
    }
  }

  static Properties producerConfig(String bootstrapServers) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    return config;
  }

  static Properties consumerConfig(String bootstrapServers) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-test");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return config;
  }
}
