package dev.queenj.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.Future;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Queen-J's Docker image (the repository's {@code Dockerfile}, built as {@code queen-j}) under Testcontainers, as
 * Testcontainers' {@code KafkaContainer} gives Kafka users; the image's embedded Postgres keeps the state.
 *
 * <p>Kafka clients connect to the address that Metadata advertises: {@code QUEEN_KAFKA_ADVERTISED_HOST} and the
 * port the server listens on. A randomly mapped port would be advertised as the container's own port, which the
 * host cannot reach; so the Kafka port is a free port of the host, bound to the same number inside the container,
 * and the advertised host is the Docker host. The HTTP port ({@value #HTTP_PORT}) is mapped as usual. Clients in
 * other containers of a network are not served by this advertised address.
 */
public class QueenJContainer extends GenericContainer<QueenJContainer> {
  public static final DockerImageName DEFAULT_IMAGE = DockerImageName.parse("queen-j:latest");
  public static final int HTTP_PORT = 6632;
  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

  private final int kafkaPort = freeHostPort();

  public QueenJContainer() {
    this(DEFAULT_IMAGE);
  }

  public QueenJContainer(DockerImageName image) {
    super(image);
    expose();
  }

  /** An image being built, e.g. Testcontainers' {@code ImageFromDockerfile} over the repository. */
  public QueenJContainer(Future<String> image) {
    super(image);
    expose();
  }

  private void expose() {
    addFixedExposedPort(kafkaPort, kafkaPort);
    addExposedPort(HTTP_PORT);
    withEnv("QUEEN_KAFKA_PORT", String.valueOf(kafkaPort));
    withEnv("QUEEN_HTTP_PORT", String.valueOf(HTTP_PORT));
    // a test's consumers join one by one: no waiting for more members, as Testcontainers' Kafka is set up
    withEnv("QUEEN_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    waitingFor(Wait.forHttp("/health/ready").forPort(HTTP_PORT).withStartupTimeout(STARTUP_TIMEOUT));
  }

  @Override
  protected void configure() {
    withEnv("QUEEN_KAFKA_ADVERTISED_HOST", getHost());
  }

  /** {@code host:port} for Kafka clients' {@code bootstrap.servers}. */
  public String getBootstrapServers() {
    return getHost() + ":" + kafkaPort;
  }

  /** Queen's native HTTP API. */
  public String getHttpUrl() {
    return "http://" + getHost() + ":" + getMappedPort(HTTP_PORT);
  }

  private static int freeHostPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the container's Kafka listener", e);
    }
  }
}
