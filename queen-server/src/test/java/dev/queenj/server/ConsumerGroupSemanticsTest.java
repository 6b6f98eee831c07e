package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Fan-out to groups, subscription modes, autoAck. */
@ExtendWith(RunningServer.class)
class ConsumerGroupSemanticsTest {
  private final TestServer server;
  private final Api api;

  ConsumerGroupSemanticsTest(TestServer server, Api api) {
    this.server = server;
    this.api = api;
  }

  @Test
  void everyGroupReceivesEveryMessageExactlyOnce() {
    api.push("events", "p", "e1", "e2", "e3");
    for (String group : new String[] {"g1", "g2"}) {
      JsonNode popped = api.pop("events?batch=10&consumerGroup=" + group);
      assertThat(Api.ids(popped)).containsExactly("e1", "e2", "e3");
      assertThat(popped.get("consumerGroup").asText()).isEqualTo(group);
      api.ackAll(popped, "completed");
      assertThat(api.pop("events?batch=10&consumerGroup=" + group).get("success").asBoolean()).isFalse();
    }
    // queue mode is a group of its own
    assertThat(Api.ids(api.pop("events?batch=10"))).containsExactly("e1", "e2", "e3");
  }

  @Test
  void subscriptionModeNewSeesOnlyLaterMessagesAlsoInPartitionsCreatedLater() {
    api.push("subs", "old", "o1");
    JsonNode first = api.pop("subs?batch=10&consumerGroup=fresh&subscriptionMode=new");
    assertThat(first.get("messages")).isEmpty();

    api.push("subs", "old", "o2");
    api.push("subs", "later", "l1");
    JsonNode popped = api.pop("subs?batch=10&partitions=5&consumerGroup=fresh");
    assertThat(Api.ids(popped)).containsExactlyInAnyOrder("o2", "l1");
  }

  @Test
  void subscriptionFromNowAndFromATimestamp() {
    api.push("subs", "p", "before");
    Instant between = Instant.now();
    api.push("subs", "p", "after");

    JsonNode now = api.pop("subs?batch=10&consumerGroup=now-group&subscriptionFrom=now");
    assertThat(now.get("messages")).isEmpty();
    api.push("subs", "p", "latest");
    assertThat(Api.ids(api.pop("subs?batch=10&consumerGroup=now-group"))).containsExactly("latest");

    JsonNode fromTime = api.pop("subs?batch=10&consumerGroup=time-group&subscriptionFrom=" + between);
    assertThat(Api.ids(fromTime)).containsExactly("after", "latest");

    JsonNode all = api.pop("subs?batch=10&consumerGroup=all-group");
    assertThat(Api.ids(all)).containsExactly("before", "after", "latest");
  }

  /** Queen reads every mode but "new" as "from the beginning"; its JS client sends "from_beginning". */
  @Test
  void everySubscriptionModeButNewStartsFromTheBeginning() {
    api.push("subs", "p", "m1", "m2");
    for (String mode : new String[] {"from_beginning", "all", "earliest", ""}) {
      assertThat(Api.ids(api.pop("subs?batch=10&consumerGroup=g-" + mode + "&subscriptionMode=" + mode)))
          .as("subscriptionMode=%s", mode).containsExactly("m1", "m2");
    }
    assertThat(api.pop("subs?batch=10&consumerGroup=g-new-only&subscriptionMode=new-only").get("messages"))
        .isEmpty();
  }

  @Test
  void theStoredSubscriptionIsNotChangedByLaterPops() {
    api.push("subs", "p", "m1");
    api.pop("subs?batch=10&consumerGroup=g&subscriptionMode=new");
    api.push("subs", "p", "m2");
    // asking for "all" later does not rewind the group
    assertThat(Api.ids(api.pop("subs?batch=10&consumerGroup=g&subscriptionMode=all"))).containsExactly("m2");
  }

  @Test
  void autoAckConsumesWithoutALease() {
    api.push("auto", "p", "m1", "m2", "m3");
    JsonNode popped = api.pop("auto?batch=2&autoAck=true");
    assertThat(Api.ids(popped)).containsExactly("m1", "m2");
    assertThat(popped.get("leaseId").asText()).isEmpty();
    // no lease is kept and the cursor already moved
    assertThat(Api.ids(api.pop("auto?batch=10&autoAck=true"))).containsExactly("m3");
    assertThat(api.pop("auto?batch=10").get("success").asBoolean()).isFalse();
  }
}
