package dev.queenj.compat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Clients configured for the server under test, through API that is the same in kafka-clients 3.x and 4.x. */
final class Clients {
  static final Duration POLL = Duration.ofMillis(100);
  static final long DEADLINE_MS = 60_000;

  private Clients() {}

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Admin admin(QueenProcess server) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
    return Admin.create(props);
  }

  static void createTopic(QueenProcess server, String topic, int partitions) {
    try (Admin admin = admin(server)) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot create " + topic, e);
    }
  }

  static KafkaProducer<String, String> producer(QueenProcess server, Map<String, Object> overrides) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.putAll(overrides);
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  static KafkaProducer<byte[], byte[]> bytesProducer(QueenProcess server, Map<String, Object> overrides) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.putAll(overrides);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** A consumer without a group (assign and seek), or in {@code group} when it is not null; never auto-commits. */
  static KafkaConsumer<String, String> consumer(QueenProcess server, String group, Map<String, Object> overrides) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    if (group != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    props.putAll(overrides);
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }

  static KafkaConsumer<byte[], byte[]> bytesConsumer(QueenProcess server) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Polls until {@code count} records arrived (or fails at the deadline); returns them in arrival order. */
  static <K, V> List<ConsumerRecord<K, V>> pollUntil(KafkaConsumer<K, V> consumer, int count) {
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (records.size() < count) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("received " + records.size() + " of " + count + " records in " + DEADLINE_MS + " ms");
      }
      consumer.poll(POLL).forEach(records::add);
    }
    return records;
  }

  /** Runs {@code step} until {@code done} holds, failing at the deadline with {@code what}. */
  static void until(String what, BooleanSupplier done, Runnable step) {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within " + DEADLINE_MS + " ms: " + what);
      }
      step.run();
    }
  }
}
