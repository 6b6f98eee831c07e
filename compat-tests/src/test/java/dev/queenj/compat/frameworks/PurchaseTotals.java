package dev.queenj.compat.frameworks;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A Kafka Streams application as users write them: purchases keyed by order ({@code "customer:amount"}) are
 * re-keyed by customer (an internal repartition topic) and summed in a state store (an internal compacted changelog
 * topic); every new total goes to the output topic. Run as its own JVM by {@link KafkaStreamsTest}, so that killing
 * it is a real kill: nothing flushed, nothing committed, no group left.
 */
public final class PurchaseTotals {
  /** Printed on every state change; the test waits for RUNNING. */
  static final String STATE_LINE = "purchase-totals state: ";
  static final String STORE = "totals-store";

  private PurchaseTotals() {}

  static Topology topology(String input, String output) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
        .groupBy((order, purchase) -> customer(purchase), Grouped.with("by-customer", Serdes.String(),
            Serdes.String()))
        .aggregate(() -> 0L, (customer, purchase, total) -> total + amount(purchase),
            Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(STORE).withKeySerde(Serdes.String())
                .withValueSerde(Serdes.Long()))
        .toStream()
        .to(output, Produced.with(Serdes.String(), Serdes.Long()));
    return builder.build();
  }

  static String customer(String purchase) {
    return purchase.substring(0, purchase.indexOf(':'));
  }

  static long amount(String purchase) {
    return Long.parseLong(purchase.substring(purchase.indexOf(':') + 1));
  }

  /** {@code bootstrap applicationId guarantee stateDir input output}; runs until killed. */
  public static void main(String[] args) throws InterruptedException {
    Properties config = new Properties();
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, args[2]);
    config.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(args[3]).toString());
    // every update is an output record, so the output shows each purchase counted once (or not)
    config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    // a second between commits: a kill then always loses work in flight (an open transaction under exactly once,
    // processed but uncommitted input under at least once), which the restarted instance must make good
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
    // a killed instance is noticed after the shortest session Kafka allows, not the default 45 s
    config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
    config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
    KafkaStreams streams = new KafkaStreams(topology(args[4], args[5]), config);
    streams.setStateListener((now, before) -> System.out.println(STATE_LINE + now));
    streams.setUncaughtExceptionHandler(failure -> {
      failure.printStackTrace(System.out);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
    new CountDownLatch(1).await();
  }
}
