package dev.queenj.client.streams;

import dev.queenj.client.BlockingQueenClient;
import dev.queenj.client.QueenClient;
import dev.queenj.client.TestBroker;
import dev.queenj.http.auth.JwtConfig;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real broker (real Postgres) and client for every stream test class of a test run: a test class registers it
 * ({@code @RegisterExtension static final StreamBroker BROKER = new StreamBroker()}); the first class starts the
 * broker, JUnit closes it with the run's root context, after the last class. The tests name their queues and queries
 * afresh, so sharing the broker shares nothing else.
 */
final class StreamBroker implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StreamBroker.class);
  private Shared shared;

  @Override
  public void beforeAll(ExtensionContext context) {
    shared = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Shared.class, type -> new Shared(),
        Shared.class);
  }

  String url() {
    return shared.broker.url();
  }

  QueenClient client() {
    return shared.client;
  }

  BlockingQueenClient queen() {
    return shared.client.blocking();
  }

  /** The broker and its client, closed by JUnit when the run's root context closes. */
  private static final class Shared implements ExtensionContext.Store.CloseableResource {
    private final TestBroker broker = TestBroker.start(JwtConfig.DISABLED);
    private final QueenClient client = QueenClient.builder(broker.url()).requestTimeout(Duration.ofSeconds(10))
        .build();

    @Override
    public void close() {
      client.close();
      broker.close();
    }
  }
}
