package dev.queenj.core.cluster;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The instance registry on a real Postgres: node ids, the live view, expiry, restarts and duplicate ids. */
class ClusterMembershipTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(4);
  private static final Map<String, Endpoint> KAFKA = Map.of("PLAINTEXT", new Endpoint("localhost", 9092),
      "SASL_SSL", new Endpoint("localhost", 9093));

  private static ClusterMembership member(String instanceId, int heartbeatMs, int expiryMs) {
    return new ClusterMembership(db.vertx(), db.database(),
        new ClusterSettings("test", instanceId, heartbeatMs, expiryMs));
  }

  @Test
  void instancesGetTheSmallestFreeNodeIdsAndSeeEachOtherWithTheirEndpoints() {
    ClusterMembership a = member("a", 50, 1_000);
    ClusterMembership b = member("b", 50, 1_000);
    try {
      assertThat(await(a.join("a:6632", KAFKA)).self().nodeId()).isZero();
      assertThat(await(b.join("b:6632", Map.of("PLAINTEXT", new Endpoint("b", 9092)))).self().nodeId()).isOne();

      Eventually.until(Duration.ofSeconds(5), () -> a.current().live().size() == 2, () -> "a sees " + a.current());
      ClusterView view = a.current();
      assertThat(view.node(1).orElseThrow().httpAddress()).isEqualTo("b:6632");
      assertThat(view.brokers("PLAINTEXT")).extracting(Instance::nodeId).containsExactly(0, 1);
      assertThat(view.brokers("SASL_SSL")).extracting(Instance::nodeId).as("b has no SASL_SSL listener")
          .containsExactly(0);
    } finally {
      await(a.leave());
      await(b.leave());
    }
  }

  @Test
  void aStoppedInstanceLeavesTheViewTheEpochGrowsAndItsIdRestartsWithItsNodeId() {
    ClusterMembership a = member("a", 50, 1_000);
    ClusterMembership b = member("b", 50, 1_000);
    try {
      await(a.join("a:6632", KAFKA));
      int bNode = await(b.join("b:6632", KAFKA)).self().nodeId();
      Eventually.until(Duration.ofSeconds(5), () -> a.current().live().size() == 2, () -> "a sees " + a.current());
      int epoch = a.current().epoch();

      await(b.leave());
      Eventually.until(Duration.ofSeconds(5), () -> a.current().live().size() == 1, () -> "a sees " + a.current());
      assertThat(a.current().epoch()).isGreaterThan(epoch);

      ClusterMembership again = member("b", 50, 1_000);
      assertThat(await(again.join("b:6633", KAFKA)).self().nodeId()).isEqualTo(bNode);
      await(again.leave());
    } finally {
      await(a.leave());
    }
  }

  @Test
  void anInstanceWhoseHeartbeatStopsDisappearsAfterTheExpiry() {
    ClusterMembership a = member("a", 50, 300);
    ClusterMembership dying = member("dying", 50, 300);
    try {
      await(a.join("a:6632", KAFKA));
      await(dying.join("d:6632", KAFKA));
      Eventually.until(Duration.ofSeconds(5), () -> a.current().live().size() == 2, () -> "a sees " + a.current());
      dying.stopHeartbeat();
      Eventually.until(Duration.ofSeconds(5), () -> a.current().live().size() == 1, () -> "a sees " + a.current());
      assertThat(a.current().live()).extracting(Instance::instanceId).containsExactly("a");
    } finally {
      await(a.leave());
    }
  }

  @Test
  void anInstanceRestartedAfterACrashWaitsOutItsOldRegistrationAndGetsItsNodeIdBack() {
    ClusterMembership other = member("other", 50, 300);
    ClusterMembership crashed = member("x", 50, 300);
    try {
      await(other.join("o:6632", KAFKA));
      int node = await(crashed.join("x:6632", KAFKA)).self().nodeId();
      crashed.stopHeartbeat(); // kill -9: no deregistration

      ClusterMembership restarted = member("x", 50, 300);
      assertThat(await(restarted.join("x:6632", KAFKA)).self().nodeId()).isEqualTo(node);
      await(restarted.leave());
    } finally {
      await(other.leave());
    }
  }

  @Test
  void aSecondLiveProcessWithTheSameInstanceIdIsRefused() {
    ClusterMembership first = member("same", 20, 100);
    ClusterMembership second = member("same", 20, 100);
    try {
      await(first.join("a:6632", KAFKA));
      assertThatThrownBy(() -> await(second.join("b:6632", KAFKA)))
          .hasMessageContaining("instance id same is held by another live instance");
    } finally {
      await(first.leave());
    }
  }

  @Test
  void aStoppedInstanceWithAGeneratedNameFreesItsNodeIdForTheNextOne() {
    ClusterSettings unnamed = new ClusterSettings("unnamed", "", 50, 1_000);
    ClusterMembership first = new ClusterMembership(db.vertx(), db.database(), unnamed);
    int node = await(first.join("a:6632", KAFKA)).self().nodeId();
    await(first.leave());

    // a lone server restarted without QUEEN_INSTANCE_ID: its old name never comes back, so it is node 0 again
    ClusterMembership restarted = new ClusterMembership(db.vertx(), db.database(), unnamed);
    try {
      assertThat(node).isZero();
      assertThat(restarted.instanceId()).isNotEqualTo(first.instanceId());
      assertThat(await(restarted.join("a:6632", KAFKA)).self().nodeId()).isZero();
    } finally {
      await(restarted.leave());
    }
  }

  @Test
  void anInstanceKnowsWhetherAnotherIsLiveOnTheDatabaseWhateverItsClusterName() {
    ClusterMembership lone = new ClusterMembership(db.vertx(), db.database(),
        new ClusterSettings("lone", "lone", 50, 1_000));
    ClusterMembership other = new ClusterMembership(db.vertx(), db.database(),
        new ClusterSettings("another-name", "other", 50, 1_000));
    try {
      assertThat(lone.othersLive()).as("before joining, assume someone listens").isTrue();
      await(lone.join("a:6632", KAFKA));
      Eventually.until(Duration.ofSeconds(5), () -> !lone.othersLive(), () -> "lone sees " + lone.current());
      await(other.join("b:6632", KAFKA));
      Eventually.until(Duration.ofSeconds(5), lone::othersLive, () -> "lone sees " + lone.current());
      await(other.leave());
      Eventually.until(Duration.ofSeconds(5), () -> !lone.othersLive(), () -> "lone sees " + lone.current());
    } finally {
      await(lone.leave());
    }
  }
}
