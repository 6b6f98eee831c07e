package dev.queenj.server;

import dev.queenj.core.cluster.ClusterSettings;
import dev.queenj.core.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Several Queen instances on one Postgres (the shared test database), as a deployment runs two or three behind
 * nothing but the clients' bootstrap lists: in-process servers ({@link #inProcess}) for speed, or child JVMs
 * ({@link #processes}) when a test must kill one with SIGKILL. The instances share a cluster name of their own, so
 * that no other test server on the database is listed as one of their brokers. Every instance has its own ephemeral
 * ports, data directory and instance id, and a short heartbeat ({@link #HEARTBEAT_MS}) and expiry ({@link #EXPIRY_MS}), so that
 * a dead instance is gone, and its consumer groups move, within seconds.
 */
public final class ServerCluster implements AutoCloseable {
  /** QUEEN_INSTANCE_HEARTBEAT_MS of the instances. */
  public static final int HEARTBEAT_MS = 200;
  /** QUEEN_INSTANCE_EXPIRY_MS of the instances: how long after its last heartbeat a dead one is dropped. */
  public static final int EXPIRY_MS = 2_000;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** One instance of the cluster. */
  public interface Member {
    /** Its instance id, QUEEN_INSTANCE_ID. */
    String instanceId();

    int httpPort();

    int kafkaPort();

    /** {@code localhost:port} of its Kafka listener. */
    default String kafkaAddress() {
      return "localhost:" + kafkaPort();
    }

    /** Whether it is still running (neither stopped nor killed). */
    boolean running();

    /** A clean stop: it deregisters and gives its consumer groups up. */
    void stop();

    /** SIGKILL (child JVMs only): it stops heartbeating and renewing leases, and says nothing. */
    void kill();
  }

  private final List<Member> members;

  private ServerCluster(List<Member> members) {
    this.members = members;
  }

  /** {@code size} servers in this JVM, each with the test servers' Kafka group settings. */
  public static ServerCluster inProcess(int size) {
    List<Member> members = new ArrayList<>();
    String run = runId();
    try {
      for (int i = 0; i < size; i++) {
        String id = "cluster-" + run + "-" + i;
        QueenConfig config = new QueenConfig(new DatabaseConfig(TestPostgres.url(), TestServer.freshDataDir(), 8),
            TestServer.defaultHttp(), TestServer.kafka(true), 5_000)
            .withCluster(new ClusterSettings("cluster-" + run, id, HEARTBEAT_MS, EXPIRY_MS));
        members.add(new InProcess(id, TestServer.start(config)));
      }
    } catch (RuntimeException e) {
      members.forEach(Member::stop);
      throw e;
    }
    return new ServerCluster(members);
  }

  /**
   * {@code size} servers, each a child JVM running {@link Main} on the shared test Postgres with the test servers'
   * Kafka group settings and {@code settings} besides; started at once, answered once all listen.
   */
  public static ServerCluster processes(int size, Map<String, String> settings) throws Exception {
    List<ChildJvm> started = new ArrayList<>();
    String run = runId();
    try {
      for (int i = 0; i < size; i++) {
        String id = "cluster-" + run + "-" + i;
        Map<String, String> env = new HashMap<>(Map.of(
            "QUEEN_CLUSTER_NAME", "cluster-" + run,
            "QUEEN_INSTANCE_ID", id,
            "QUEEN_INSTANCE_HEARTBEAT_MS", String.valueOf(HEARTBEAT_MS),
            "QUEEN_INSTANCE_EXPIRY_MS", String.valueOf(EXPIRY_MS),
            "QUEEN_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS",
            String.valueOf(TestServer.GROUP_INITIAL_REBALANCE_DELAY_MS),
            "QUEEN_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", String.valueOf(TestServer.GROUP_MIN_SESSION_TIMEOUT_MS)));
        env.putAll(settings);
        started.add(new ChildJvm(id, ServerProcess.startOn(TestPostgres.url(), TestServer.freshDataDir(), env)));
      }
      for (ChildJvm child : started) {
        child.ports = child.process.awaitListening(START_TIMEOUT);
      }
    } catch (Exception | AssertionError e) {
      started.forEach(ChildJvm::kill);
      throw e;
    }
    return new ServerCluster(List.copyOf(started));
  }

  private static String runId() {
    return Long.toString(System.nanoTime(), 36);
  }

  public Member member(int index) {
    return members.get(index);
  }

  public List<Member> members() {
    return members;
  }

  public int size() {
    return members.size();
  }

  /** Every running instance's Kafka address, as a client's {@code bootstrap.servers}. */
  public String bootstrap() {
    return members.stream().filter(Member::running).map(Member::kafkaAddress).collect(Collectors.joining(","));
  }

  /** Stops every instance still running. */
  @Override
  public void close() {
    members.stream().filter(Member::running).forEach(Member::stop);
  }

  /** What every kind of member keeps: its instance id, and whether it was stopped or killed. */
  private abstract static class Started implements Member {
    private final String instanceId;
    volatile boolean running = true;

    Started(String instanceId) {
      this.instanceId = instanceId;
    }

    @Override
    public String instanceId() {
      return instanceId;
    }

    @Override
    public boolean running() {
      return running;
    }
  }

  private static final class InProcess extends Started {
    private final TestServer server;

    InProcess(String instanceId, TestServer server) {
      super(instanceId);
      this.server = server;
    }

    @Override
    public int httpPort() {
      return server.port();
    }

    @Override
    public int kafkaPort() {
      return server.kafkaPort();
    }

    @Override
    public void stop() {
      running = false;
      server.close();
    }

    @Override
    public void kill() {
      throw new UnsupportedOperationException("an in-process server cannot be killed; use ServerCluster.processes");
    }
  }

  private static final class ChildJvm extends Started {
    private final ServerProcess process;
    private volatile ServerProcess.Ports ports;

    ChildJvm(String instanceId, ServerProcess process) {
      super(instanceId);
      this.process = process;
    }

    @Override
    public int httpPort() {
      return ports.http();
    }

    @Override
    public int kafkaPort() {
      return ports.kafka();
    }

    @Override
    public void stop() {
      running = false;
      process.terminate();
      try {
        process.awaitExit(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (AssertionError e) {
        process.kill(false);
      }
    }

    @Override
    public void kill() {
      running = false;
      process.kill(false);
    }
  }
}
