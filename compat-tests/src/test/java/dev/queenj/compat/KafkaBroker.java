package dev.queenj.compat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (KRaft, one node acting as broker and controller, loopback only) as a child JVM on the
 * test classpath, which carries {@code kafka_2.13} of the build's Kafka version: the live cluster MirrorMaker 2 copies
 * from. Its storage is formatted first, in-process ({@link KafkaTool}), as {@code kafka-storage.sh format --standalone}
 * does; its data and output stay in a directory of its own under {@code target/}. A child JVM keeps the broker's
 * threads, metrics and static state out of the test JVM and makes stopping it certain ({@link #close}, also run by a
 * shutdown hook).
 */
final class KafkaBroker implements AutoCloseable {
  private static final long START_TIMEOUT_MS = 90_000;

  private final Path dir;
  private final int port;
  private final Process process;
  private final Thread stopOnExit;

  private KafkaBroker(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.stopOnExit = new Thread(this::stop, "kafka-broker-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** Formats fresh storage and starts a broker on free loopback ports; returns once it answers an Admin request. */
  static KafkaBroker start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(Path.of("target"), "kafka-broker-").toAbsolutePath();
    int port = freePort();
    int controllerPort = freePort();
    Properties config = new Properties();
    config.put("process.roles", "broker,controller");
    config.put("node.id", "1");
    config.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    config.put("controller.listener.names", "CONTROLLER");
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    config.put("log.dirs", dir.resolve("logs").toString());
    config.put("num.partitions", "1");
    config.put("offsets.topic.replication.factor", "1");
    config.put("offsets.topic.num.partitions", "1");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("share.coordinator.state.topic.replication.factor", "1");
    config.put("share.coordinator.state.topic.min.isr", "1");
    config.put("group.initial.rebalance.delay.ms", "0");
    Path properties = dir.resolve("server.properties");
    try (var out = Files.newOutputStream(properties)) {
      config.store(out, "single-node KRaft broker for the MirrorMaker 2 test");
    }
    KafkaTool.Result format = KafkaTool.run(StorageTool::main, "", "format", "--standalone",
        "-t", Uuid.randomUuid().toString(), "-c", properties.toString());
    if (format.status() != 0) {
      throw new IllegalStateException("formatting Kafka storage failed: " + format);
    }
    KafkaBroker broker = new KafkaBroker(dir, port,
        java(dir, "kafka.log", "kafka.Kafka", properties.toString()));
    try {
      broker.awaitReady();
    } catch (RuntimeException | InterruptedException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    try (Admin admin = Admin.create(props)) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the Kafka broker exited; see " + dir.resolve("kafka.log"));
        }
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception notYet) {
          // not answering yet: asked again until the deadline
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the Kafka broker did not start within " + START_TIMEOUT_MS + " ms; see "
              + dir.resolve("kafka.log"));
        }
        process.waitFor(200, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** A JVM on the test classpath running {@code mainClass}, its output to {@code logName} in {@code dir}. */
  private static Process java(Path dir, String logName, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // C1 only: the broker serves a few hundred records, a quicker start matters more on a small machine
        "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", testClasspath(), mainClass));
    command.addAll(List.of(args));
    File log = dir.resolve(logName).toFile();
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }

  /** Surefire runs tests from a manifest-only jar and names the real classpath in this property. */
  private static String testClasspath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException exiting) {
      // the JVM is already exiting and runs the hook itself
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
