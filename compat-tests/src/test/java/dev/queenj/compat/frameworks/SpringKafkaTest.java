package dev.queenj.compat.frameworks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.test.EmbeddedQueenJ;
import dev.queenj.test.QueenJ;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Spring for Apache Kafka (without Spring Boot) against the embedded broker, configured only through the
 * {@code spring.kafka.bootstrap-servers} property the extension sets: a {@code KafkaTemplate} whose producer
 * factory has a transaction id prefix sends in transactions, one of them rolled back, and a {@code @KafkaListener}
 * reading committed records receives exactly the committed ones.
 */
@EmbeddedQueenJ
class SpringKafkaTest {
  private static final String TOPIC = "spring-orders";
  private static final long RECEIVE_TIMEOUT_SECONDS = 30;

  @Test
  void aTransactionalTemplateAndAListenerSeeOnlyCommittedRecords(QueenJ queen) throws Exception {
    try (var context = new AnnotationConfigApplicationContext(Orders.class)) {
      @SuppressWarnings("unchecked")
      KafkaTemplate<String, String> template = context.getBean(KafkaTemplate.class);
      assertThat(template.getProducerFactory().getConfigurationProperties())
          .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, queen.bootstrapServers());
      assertThat(template.isTransactional()).isTrue();

      template.executeInTransaction(t -> {
        t.send(TOPIC, "order-1", "committed-1");
        t.send(TOPIC, "order-2", "committed-2");
        return null;
      });
      assertThatThrownBy(() -> template.executeInTransaction(t -> {
        t.send(TOPIC, "order-3", "rolled-back");
        throw new IllegalStateException("the order was refused");
      })).hasMessageContaining("the order was refused");
      template.executeInTransaction(t -> t.send(TOPIC, "order-4", "committed-3"));

      // the last committed record comes after the rolled-back one, so receiving it means the listener passed it
      BlockingQueue<String> received = context.getBean(Orders.class).received;
      List<String> values = new ArrayList<>();
      while (!values.contains("committed-3")) {
        String value = received.poll(RECEIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(value).as("a record within %d s; received %s", RECEIVE_TIMEOUT_SECONDS, values).isNotNull();
        values.add(value);
      }
      assertThat(values).containsExactly("committed-1", "committed-2", "committed-3");
    }
  }

  /** The application: its configuration and its listener, as a Spring user writes them. */
  @Configuration
  @EnableKafka
  static class Orders {
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @KafkaListener(topics = TOPIC, groupId = "spring-orders-app")
    void onOrder(String value) {
      received.add(value);
    }

    @Bean
    ProducerFactory<String, String> producerFactory(@Value("${spring.kafka.bootstrap-servers}") String bootstrap) {
      DefaultKafkaProducerFactory<String, String> factory = new DefaultKafkaProducerFactory<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
      factory.setTransactionIdPrefix("orders-tx-");
      return factory;
    }

    @Bean
    KafkaTemplate<String, String> kafkaTemplate(ProducerFactory<String, String> producerFactory) {
      return new KafkaTemplate<>(producerFactory);
    }

    @Bean
    ConsumerFactory<String, String> consumerFactory(@Value("${spring.kafka.bootstrap-servers}") String bootstrap) {
      return new DefaultKafkaConsumerFactory<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory(
        ConsumerFactory<String, String> consumerFactory) {
      ConcurrentKafkaListenerContainerFactory<String, String> factory = new ConcurrentKafkaListenerContainerFactory<>();
      factory.setConsumerFactory(consumerFactory);
      return factory;
    }
  }
}
