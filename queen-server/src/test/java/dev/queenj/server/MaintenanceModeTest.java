package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.server.TestServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /system/maintenance} and {@code /system/maintenance/pop}: pushes buffered while push maintenance is on and
 * replayed in order once it is off; pops empty at once while pop maintenance is on; the switches shared by every
 * instance on the database.
 */
class MaintenanceModeTest {
  @TempDir
  static Path dirs;
  private static TestServer server;
  private static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start(config(dirs.resolve("a")));
    api = new Api(server);
  }

  @AfterAll
  static void stop() {
    server.close();
    // the JVM's shared server reads the switches only every MaintenanceMode.REFRESH_MS: the next class's pushes to
    // it were answered "buffered" while it still saw push maintenance on
    TestServer shared = RunningServer.shared();
    Eventually.until(Duration.ofSeconds(10), () -> {
      JsonNode push = shared.get("/api/v1/system/maintenance").body();
      JsonNode pop = shared.get("/api/v1/system/maintenance/pop").body();
      return !push.get("maintenanceMode").asBoolean() && push.get("bufferedMessages").asLong() == 0
          && !pop.get("popMaintenanceMode").asBoolean();
    }, () -> "the shared server still sees a maintenance switch on");
  }

  private static QueenConfig config(Path dataDir) {
    return new QueenConfig(new DatabaseConfig(TestPostgres.url(), dataDir, 4), TestServer.defaultHttp(),
        TestServer.kafka(true), 5_000);
  }

  @BeforeEach
  void clean() {
    server.reset();
  }

  @AfterEach
  void switchesOff() {
    // the switches are shared state in the test database: leave them off for whoever comes next
    server.post("/api/v1/system/maintenance", "{\"enabled\":false}");
    server.post("/api/v1/system/maintenance/pop", "{\"enabled\":false}");
    Eventually.until(Duration.ofSeconds(20), () -> buffered(server) == 0, () -> "buffer not drained");
  }

  private static long buffered(TestServer through) {
    return through.get("/api/v1/system/maintenance").body().get("bufferedMessages").asLong();
  }

  private static Reply push(TestServer through, String partition, String transactionId) {
    return through.post("/api/v1/push", "{\"items\":[{\"queue\":\"m\",\"partition\":\"" + partition
        + "\",\"transactionId\":\"" + transactionId + "\",\"payload\":{\"id\":\"" + transactionId + "\"}}]}");
  }

  @Test
  void maintenanceIsOffAndTheBufferEmptyAtFirst() {
    Reply push = server.get("/api/v1/system/maintenance");
    Reply pop = server.get("/api/v1/system/maintenance/pop");

    assertThat(push.status()).isEqualTo(200);
    assertThat(push.body().get("maintenanceMode").asBoolean()).isFalse();
    assertThat(push.body().get("bufferedMessages").asLong()).isZero();
    assertThat(pop.status()).isEqualTo(200);
    assertThat(pop.body().get("popMaintenanceMode").asBoolean()).isFalse();
  }

  @Test
  void aBodyWithoutABooleanEnabledIsRefused() {
    for (String path : List.of("/api/v1/system/maintenance", "/api/v1/system/maintenance/pop")) {
      for (String body : List.of("", "{}", "{\"enabled\":\"yes\"}", "{\"enabled\":1}", "[true]", "nope")) {
        Reply reply = server.post(path, body);
        assertThat(reply.status()).as("%s with %s", path, body).isEqualTo(400);
        assertThat(reply.body().get("error").asText()).isNotBlank();
      }
    }
    assertThat(server.get("/api/v1/system/maintenance").body().get("maintenanceMode").asBoolean()).isFalse();
  }

  @Test
  void pushesDuringPushMaintenanceAreBufferedThenDeliveredInOrder() {
    Reply on = server.post("/api/v1/system/maintenance", "{\"enabled\":true}");
    assertThat(on.status()).isEqualTo(200);
    assertThat(on.body().get("maintenanceMode").asBoolean()).isTrue();

    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Reply reply = push(server, "p", "t-" + i);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body().get(0).get("status").asText()).isEqualTo("buffered");
      assertThat(reply.body().get(0).get("transaction_id").asText()).isEqualTo("t-" + i);
      sent.add("t-" + i);
    }
    Reply anonymous = server.post("/api/v1/push", "{\"items\":[{\"queue\":\"m\",\"partition\":\"p\"}]}");
    String generated = anonymous.body().get(0).get("transaction_id").asText();
    assertThat(generated).isNotBlank();
    sent.add(generated);

    assertThat(buffered(server)).isEqualTo(11);
    assertThat(api.pop("m", "batch=100").get("messages")).isEmpty();

    Reply off = server.post("/api/v1/system/maintenance", "{\"enabled\":false}");
    assertThat(off.body().get("maintenanceMode").asBoolean()).isFalse();
    Eventually.until(Duration.ofSeconds(20), () -> buffered(server) == 0, () -> "still buffered");

    assertThat(Api.ids(api.pop("m", "batch=100"))).containsExactlyElementsOf(sent);
    assertThat(push(server, "p", "after").body().get(0).get("status").asText()).isEqualTo("queued");
  }

  @Test
  void aFullBufferAnswers503AndKeepsWhatItHas() {
    QueenConfig small = new QueenConfig(new DatabaseConfig(TestPostgres.url(), dirs.resolve("small"), 4),
        TestServer.defaultHttp(), TestServer.kafka(true), 5_000)
        .withBuffer(new BufferConfig(dirs.resolve("small-buffer"), 300));
    try (TestServer tiny = TestServer.start(small)) {
      tiny.post("/api/v1/system/maintenance", "{\"enabled\":true}");
      Reply first = push(tiny, "p", "t-0");
      Reply tooMuch = tiny.post("/api/v1/push", "{\"items\":[{\"queue\":\"m\",\"partition\":\"p\","
          + "\"transactionId\":\"t-1\",\"payload\":{\"pad\":\"" + "x".repeat(400) + "\"}}]}");

      assertThat(first.body().get(0).get("status").asText()).isEqualTo("buffered");
      assertThat(tooMuch.status()).isEqualTo(503);
      assertThat(tooMuch.body().get("error").asText()).contains("full");
      assertThat(buffered(tiny)).isEqualTo(1);

      tiny.post("/api/v1/system/maintenance", "{\"enabled\":false}");
      Eventually.until(Duration.ofSeconds(20), () -> buffered(tiny) == 0, () -> "not drained");
    }
    assertThat(Api.ids(api.pop("m", "batch=10"))).containsExactly("t-0");
  }

  @Test
  void popsAnswerEmptyAtOnceDuringPopMaintenance() {
    api.push("m", "p", "t-0");
    Reply on = server.post("/api/v1/system/maintenance/pop", "{\"enabled\":true}");
    assertThat(on.body().get("popMaintenanceMode").asBoolean()).isTrue();

    long started = System.nanoTime();
    JsonNode parked = api.pop("m", "batch=10&wait=true&timeout=10000");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(parked.get("messages")).isEmpty();
    assertThat(tookMs).as("a long-poll during pop maintenance, ms").isLessThan(5_000);
    assertThat(api.popPartition("m", "p", "batch=10").get("messages")).isEmpty();
    // pushes still work
    api.push("m", "p", "t-1");

    server.post("/api/v1/system/maintenance/pop", "{\"enabled\":false}");
    assertThat(Api.ids(api.pop("m", "batch=10"))).containsExactly("t-0", "t-1");
  }

  @Test
  void aSwitchTurnedThroughOneInstanceAppliesToAnother() {
    try (TestServer other = TestServer.start(config(dirs.resolve("b")))) {
      server.post("/api/v1/system/maintenance", "{\"enabled\":true}");

      Eventually.until(Duration.ofSeconds(5),
          () -> other.get("/api/v1/system/maintenance").body().get("maintenanceMode").asBoolean(),
          () -> "the other instance still sees push maintenance off");
      assertThat(push(other, "p", "via-other").body().get(0).get("status").asText()).isEqualTo("buffered");
      assertThat(buffered(other)).isEqualTo(1);

      other.post("/api/v1/system/maintenance", "{\"enabled\":false}");
      Eventually.until(Duration.ofSeconds(20), () -> buffered(other) == 0, () -> "the other's buffer not drained");
      Eventually.until(Duration.ofSeconds(5),
          () -> !server.get("/api/v1/system/maintenance").body().get("maintenanceMode").asBoolean(),
          () -> "this instance still sees push maintenance on");
      assertThat(Api.ids(api.pop("m", "batch=10"))).containsExactly("via-other");
    }
  }
}
