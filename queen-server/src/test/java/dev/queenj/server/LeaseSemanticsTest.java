package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Leases per (partition, group): exclusive, skipped not waited on, expiring, released, extended. */
@ExtendWith(RunningServer.class)
class LeaseSemanticsTest {
  private final TestServer server;
  private final Api api;

  LeaseSemanticsTest(TestServer server, Api api) {
    this.server = server;
    this.api = api;
  }

  @Test
  void aLeasedPartitionIsSkippedByOtherConsumersOfTheGroup() {
    api.push("q", "a", "a1", "a2");
    JsonNode first = api.pop("q?batch=1");
    assertThat(Api.ids(first)).containsExactly("a1");

    JsonNode wildcard = api.pop("q?batch=10");
    assertThat(wildcard.get("error").asText()).isEqualTo("no_available_partition");
    JsonNode named = api.pop("q/partition/a?batch=10");
    assertThat(named.get("error").asText()).isEqualTo("lease_held");
  }

  @Test
  void aStalledPartitionNeverDelaysAnother() {
    // Spec §5, head-of-line freedom: consumer 1 holds A and stalls; consumer 2 gets B at once, never A.
    api.push("hol", "A", "a1", "a2", "a3");
    api.push("hol", "B", "b1", "b2");
    JsonNode consumer1 = api.pop("hol/partition/A?batch=1");
    assertThat(Api.ids(consumer1)).containsExactly("a1");

    Instant started = Instant.now();
    JsonNode consumer2 = api.pop("hol?batch=10&wait=true&timeout=5000");
    assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(2));
    assertThat(Api.ids(consumer2)).containsExactly("b1", "b2");
    api.ackAll(consumer2, "completed");

    JsonNode again = api.pop("hol?batch=10");
    assertThat(again.get("success").asBoolean()).isFalse();
  }

  @Test
  void anExpiredLeaseRedeliversTheWholeUnackedTailInOrder() {
    api.configure("exp", "{\"leaseTime\":1}");
    api.push("exp", "p", "m1", "m2", "m3", "m4");
    JsonNode first = api.pop("exp?batch=3");
    assertThat(Api.ids(first)).containsExactly("m1", "m2", "m3");
    // ack only m1; m2 and m3 stay un-acked when the lease runs out
    Reply single = server.post("/api/v1/ack", String.format(
        "{\"transactionId\":\"m1\",\"partitionId\":\"%s\",\"leaseId\":\"%s\"}",
        first.get("partitionId").asText(), first.get("leaseId").asText()));
    assertThat(single.body().get(0).get("success").asBoolean()).isTrue();
    assertThat(single.body().get(0).get("leaseReleased").asBoolean()).isFalse();

    JsonNode[] redelivered = new JsonNode[1];
    Api.eventually(Duration.ofSeconds(5), () -> {
      redelivered[0] = api.pop("exp?batch=10");
      return redelivered[0].get("messages").size() > 0;
    });
    assertThat(Api.ids(redelivered[0])).containsExactly("m2", "m3", "m4");
  }

  @Test
  void lastAckReleasesTheLeaseAndAnAckWithAStaleLeaseIsRefused() {
    api.configure("rel", "{\"leaseTime\":1}");
    api.push("rel", "p", "m1", "m2");
    JsonNode first = api.pop("rel?batch=2");
    String staleLease = first.get("leaseId").asText();

    JsonNode[] second = new JsonNode[1];
    Api.eventually(Duration.ofSeconds(5), () -> {
      second[0] = api.pop("rel?batch=2");
      return second[0].get("messages").size() > 0;
    });
    Reply stale = server.post("/api/v1/ack", String.format(
        "{\"transactionId\":\"m1\",\"partitionId\":\"%s\",\"leaseId\":\"%s\"}",
        first.get("partitionId").asText(), staleLease));
    assertThat(stale.body().get(0).get("success").asBoolean()).isFalse();
    assertThat(stale.body().get(0).get("error").asText()).isEqualTo("Invalid or expired lease");

    JsonNode results = api.ackAll(second[0], "completed");
    assertThat(results.get(0).get("leaseReleased").asBoolean()).isFalse();
    assertThat(results.get(1).get("leaseReleased").asBoolean()).isTrue();
    api.push("rel", "p", "m3");
    assertThat(Api.ids(api.pop("rel?batch=2"))).containsExactly("m3");
  }

  @Test
  void theCursorNeverMovesBackwards() {
    api.push("back", "p", "m1", "m2", "m3");
    JsonNode popped = api.pop("back?batch=3");
    String partitionId = popped.get("partitionId").asText();
    // ack the last first (consumes all before it), then a late ack of the first
    server.post("/api/v1/ack", String.format("{\"transactionId\":\"m3\",\"partitionId\":\"%s\"}", partitionId));
    Reply late = server.post("/api/v1/ack",
        String.format("{\"transactionId\":\"m1\",\"partitionId\":\"%s\"}", partitionId));
    assertThat(late.body().get(0).get("success").asBoolean()).isTrue();

    api.push("back", "p", "m4");
    assertThat(Api.ids(api.pop("back?batch=10"))).containsExactly("m4");
  }

  @Test
  void extendingALeaseKeepsItPastItsOriginalExpiry() {
    api.configure("ext", "{\"leaseTime\":1}");
    api.push("ext", "p", "m1");
    JsonNode popped = api.pop("ext");
    String leaseId = popped.get("leaseId").asText();

    Reply extended = server.post("/api/v1/lease/" + leaseId + "/extend", "{\"seconds\":30}");
    assertThat(extended.body().get(0).get("success").asBoolean()).isTrue();
    Instant expiresAt = Instant.parse(extended.body().get(0).get("expiresAt").asText());
    assertThat(expiresAt).isAfter(Instant.now().plusSeconds(20));

    // the original 1 s lease would have expired by the time this wait ends; the extended one holds
    Instant until = Instant.now().plusMillis(1500);
    Api.eventually(Duration.ofSeconds(5), () -> Instant.now().isAfter(until));
    assertThat(api.pop("ext/partition/p").get("error").asText()).isEqualTo("lease_held");

    Reply unknown = server.post("/api/v1/lease/" + java.util.UUID.randomUUID() + "/extend", "{}");
    assertThat(unknown.body().get(0).get("success").asBoolean()).isFalse();
    assertThat(unknown.body().get(0).get("error").asText()).isEqualTo("Lease not found");
  }
}
