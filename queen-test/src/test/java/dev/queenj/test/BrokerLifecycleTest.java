package dev.queenj.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs two annotated classes the way a build runs a suite, in this JVM, and checks what happens between them: each
 * has a database of its own (a topic of one is unknown to the other) and its broker stops with it.
 */
class BrokerLifecycleTest {
  /** What each class saw, by class name. */
  private static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

  private record Seen(String bootstrapServers, Set<String> topicsAtStart) {}

  @Test
  void eachClassHasAFreshDatabaseAndItsBrokerStopsAfterIt() {
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(First.class), selectClass(Second.class)).execute()
        .testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

    assertThat(SEEN).containsOnlyKeys("First", "Second");
    SEEN.values().forEach(seen -> assertThat(seen.topicsAtStart()).isEmpty());
    assertThat(SEEN.get("First").bootstrapServers()).isNotEqualTo(SEEN.get("Second").bootstrapServers());
    for (Seen seen : SEEN.values()) {
      String[] hostPort = seen.bootstrapServers().split(":");
      assertThatThrownBy(() -> {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2_000);
        }
      }).as("nothing listens on %s once its class ended", seen.bootstrapServers()).isInstanceOf(IOException.class);
    }
    assertThat(System.getProperty(QueenJ.BOOTSTRAP_SERVERS_PROPERTY)).isNull();
    assertThat(System.getProperty(QueenJ.HTTP_URL_PROPERTY)).isNull();
  }

  private static void recordAndCreate(String name, QueenJ queen) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, queen.bootstrapServers()))) {
      Set<String> topics = admin.listTopics().names().get();
      SEEN.put(name, new Seen(queen.bootstrapServers(), topics));
      admin.createTopics(List.of(new NewTopic("made-by-" + name, 1, (short) 1))).all().get();
    }
  }

  @EmbeddedQueenJ
  static class First {
    @Test
    void createsATopic(QueenJ queen) throws Exception {
      recordAndCreate("First", queen);
    }
  }

  @EmbeddedQueenJ
  static class Second {
    @Test
    void createsATopic(QueenJ queen) throws Exception {
      recordAndCreate("Second", queen);
    }
  }
}
