package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.kafka.group.GroupConfig;
import dev.queenj.server.TestServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The group coordinator's settings ({@code QUEEN_KAFKA_GROUP_*}): the initial rebalance delay a group's first join
 * waits, and the session timeout bounds, in effect and reported by DescribeConfigs as Kafka brokers report theirs.
 */
class KafkaGroupSettingsTest {
  private static final long DEFAULT_DELAY_MS = GroupConfig.DEFAULT_INITIAL_REBALANCE_DELAY_MS;

  /** On a server of its own: test servers shorten the delay (see {@link TestServer#kafka}). */
  @Test
  void withKafkasDefaultTheFirstJoinOfAGroupWaitsThreeSecondsForMoreMembers() {
    try (TestServer server = TestServer.start(TestServer.defaultHttp(),
        TestServer.kafka(true).withGroups(GroupConfig.defaults()));
        GroupMemberClient member = new GroupMemberClient(server.kafkaPort(), "g-" + UUID.randomUUID(), null,
            List.of("orders"))) {
      long started = System.nanoTime();
      JoinGroupResponseData joined = member.join();
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
      assertThat(tookMs).as("the first join waited group.initial.rebalance.delay.ms").isGreaterThanOrEqualTo(
          DEFAULT_DELAY_MS);
    }
  }

  @Test
  void withDelayZeroTheFirstJoinIsAnsweredAtOnceAndTheSessionBoundsAreThoseConfigured() throws Exception {
    // given
    GroupConfig groups = GroupConfig.of(1_000, 6_000, 0);
    try (TestServer server = TestServer.start(TestServer.defaultHttp(),
        TestServer.kafka(true).withGroups(groups))) {
      String group = "g-" + UUID.randomUUID();

      // when
      long started = System.nanoTime();
      JoinGroupResponseData joined;
      try (GroupMemberClient member = new GroupMemberClient(server.kafkaPort(), group, null, List.of("orders"))) {
        joined = member.join();
      }
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      // then
      assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
      assertThat(joined.leader()).isEqualTo(joined.memberId());
      assertThat(tookMs).as("the first join with no delay").isLessThan(DEFAULT_DELAY_MS / 2);
      assertThat(joinAsking(server, 6_001)).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
      assertThat(joinAsking(server, 999)).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);

      try (Admin admin = KafkaClients.admin(server)) {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
        Config config = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);
        Map<String, ConfigEntry> entries = config.entries().stream()
            .collect(Collectors.toMap(ConfigEntry::name, entry -> entry));
        assertThat(entries.get("group.initial.rebalance.delay.ms").value()).isEqualTo("0");
        assertThat(entries.get("group.min.session.timeout.ms").value()).isEqualTo("1000");
        assertThat(entries.get("group.max.session.timeout.ms").value()).isEqualTo("6000");
        assertThat(entries.get("group.max.session.timeout.ms").source())
            .isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
      }
    }
  }

  private static Errors joinAsking(TestServer server, int sessionTimeoutMs) {
    try (GroupMemberClient member = new GroupMemberClient(server.kafkaPort(), "g-" + UUID.randomUUID(), null,
        List.of("orders"), sessionTimeoutMs)) {
      return Errors.forCode(member.join().errorCode());
    }
  }
}
