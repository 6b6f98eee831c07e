package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Configure overwrites every option (an omitted one returns to its default) and echoes them. */
@ExtendWith(RunningServer.class)
class ConfigureTest {
  private final TestServer server;

  ConfigureTest(TestServer server) {
    this.server = server;
  }

  @Test
  void configureEchoesAndOverwritesEveryOption() {
    Reply first = server.post("/api/v1/configure", """
        {"queue":"billing.invoice.v1","namespace":"billing","task":"invoice",
         "options":{"leaseTime":30,"retryLimit":7,"delayedProcessing":2,"retentionEnabled":true}}""");
    assertThat(first.status()).isEqualTo(200);
    JsonNode body = first.body();
    assertThat(body.get("configured").asBoolean()).isTrue();
    assertThat(body.get("queue").asText()).isEqualTo("billing.invoice.v1");
    assertThat(body.get("namespace").asText()).isEqualTo("billing");
    assertThat(body.get("task").asText()).isEqualTo("invoice");
    assertThat(body.get("partitionId").asText()).isNotEmpty();
    assertThat(body.get("options").get("leaseTime").asInt()).isEqualTo(30);
    assertThat(body.get("options").get("retryLimit").asInt()).isEqualTo(7);
    assertThat(body.get("options").get("retryDelay").asInt()).isEqualTo(1000);
    assertThat(body.get("options").get("retentionEnabled").asBoolean()).isTrue();
    assertThat(body.get("options")).hasSize(15);

    Reply second = server.post("/api/v1/configure", "{\"queue\":\"billing.invoice.v1\",\"options\":{}}");
    JsonNode reset = second.body();
    assertThat(reset.get("queueId")).isEqualTo(body.get("queueId"));
    assertThat(reset.get("namespace").asText()).isEmpty();
    assertThat(reset.get("options").get("leaseTime").asInt()).isEqualTo(300);
    assertThat(reset.get("options").get("retryLimit").asInt()).isEqualTo(3);
    assertThat(reset.get("options").get("ttl").asInt()).isEqualTo(3600);
    assertThat(reset.get("options").get("retentionEnabled").asBoolean()).isFalse();
  }

  @Test
  void encryptionWithoutAKeyOnTheServerIsRefusedAndCreatesNothing() {
    Reply refused = server.post("/api/v1/configure",
        "{\"queue\":\"never-made\",\"options\":{\"encryptionEnabled\":true}}");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("error").asText()).contains("QUEEN_ENCRYPTION_KEY");
    assertThat(server.get("/api/v1/resources/queues").body().toString()).doesNotContain("never-made");
  }

  @Test
  void configureCreatesTheDefaultPartition() {
    Reply configured = server.post("/api/v1/configure", "{\"queue\":\"fresh\"}");
    JsonNode pop = server.get("/api/v1/pop/queue/fresh/partition/Default").body();
    // the partition exists (no partition_not_found), it is simply empty
    assertThat(pop.get("success").asBoolean()).isTrue();
    assertThat(pop.get("partitionId").asText()).isEqualTo(configured.body().get("partitionId").asText());
    assertThat(pop.get("messages")).isEmpty();
  }
}
