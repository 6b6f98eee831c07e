package dev.queenj.core.buffer;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.maintenance.MaintenanceMode;
import dev.queenj.core.maintenance.MaintenanceMode.Switch;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Pushes buffered while push maintenance is on, replayed into a real Postgres once it is off. */
class OutageBufferTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(4);
  @TempDir
  Path dir;
  private QueenCore core;
  private MaintenanceMode maintenance;
  private PushBuffer files;
  private OutageBuffer outage;

  @BeforeEach
  void start() throws Exception {
    core = new QueenCore(db.database(), 4);
    maintenance = new MaintenanceMode(db.vertx(), db.database());
    await(maintenance.set(Switch.PUSH, false));
    await(maintenance.set(Switch.POP, false));
    files = PushBuffer.open(dir, 64 << 20).get(10, TimeUnit.SECONDS);
    outage = new OutageBuffer(db.vertx(), core.push(), maintenance, files);
    outage.start();
  }

  @AfterEach
  void stop() {
    outage.stop();
    files.close();
    await(maintenance.set(Switch.PUSH, false));
  }

  private static PushItem item(String partition, String transactionId) {
    return new PushItem("orders", partition, transactionId, null,
        ("{\"n\":\"" + transactionId + "\"}").getBytes(StandardCharsets.UTF_8), null);
  }

  /** Stored messages as "partition/transactionId", in log order. */
  private static List<String> stored() {
    List<String> out = new ArrayList<>();
    for (Row row : await(db.database().pool().query("SELECT p.name, m.transaction_id FROM messages m "
        + "JOIN partitions p ON p.id = m.partition_id ORDER BY m.kafka_partition, m.log_offset").execute())) {
      out.add(row.getString(0) + "/" + row.getString(1));
    }
    return out;
  }

  private static List<String> storedIn(String partition) {
    return stored().stream().filter(s -> s.startsWith(partition + "/")).toList();
  }

  @Test
  void pushesDuringPushMaintenanceAreBufferedThenStoredInOrderOnceItIsOff() {
    await(maintenance.set(Switch.PUSH, true));

    List<PushReceipt> receipts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      receipts.add(await(outage.push(List.of(item("a", "a-" + i), item("b", "b-" + i)))));
    }
    PushReceipt anonymous = await(outage.push(List.of(item("a", null))));

    assertThat(receipts).allMatch(r -> r instanceof PushReceipt.Buffered);
    String generated = ((PushReceipt.Buffered) anonymous).items().get(0).transactionId();
    assertThat(generated).isNotBlank();
    assertThat(files.items()).isEqualTo(41);
    assertThat(stored()).isEmpty();

    await(maintenance.set(Switch.PUSH, false));
    Eventually.until(Duration.ofSeconds(20), () -> files.isEmpty() && stored().size() == 41,
        () -> "stored " + stored().size() + ", buffered " + files.items());

    List<String> expectedA = new ArrayList<>();
    List<String> expectedB = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expectedA.add("a/a-" + i);
      expectedB.add("b/b-" + i);
    }
    expectedA.add("a/" + generated);
    assertThat(storedIn("a")).containsExactlyElementsOf(expectedA);
    assertThat(storedIn("b")).containsExactlyElementsOf(expectedB);
    assertThat(files.items()).isZero();
    assertThat(files.bytes()).isZero();

    PushReceipt after = await(outage.push(List.of(item("a", "a-after"))));
    assertThat(after).isInstanceOf(PushReceipt.Stored.class);
  }

  @Test
  void aLargeBacklogIsReplayedInOrder() {
    await(maintenance.set(Switch.PUSH, true));
    List<io.vertx.core.Future<PushReceipt>> pushes = new ArrayList<>();
    for (int r = 0; r < 200; r++) {
      List<PushItem> request = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        request.add(item("p" + (i % 8), "t-" + r + "-" + i));
      }
      pushes.add(outage.push(request));
    }
    pushes.forEach(push -> await(push));
    assertThat(files.items()).isEqualTo(20_000);

    long started = System.nanoTime();
    await(maintenance.set(Switch.PUSH, false));
    Eventually.until(Duration.ofSeconds(120), files::isEmpty, () -> "buffered " + files.items());
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("replay: 20000 items (200 requests of 100, 8 partitions; %d fsyncs to buffer them) stored in "
        + "%d ms%n", files.syncs(), tookMs);

    List<String> stored = stored();
    assertThat(stored).hasSize(20_000).doesNotHaveDuplicates();
    for (int p = 0; p < 8; p++) {
      List<String> expected = new ArrayList<>();
      for (int r = 0; r < 200; r++) {
        for (int i = p; i < 100; i += 8) {
          expected.add("p" + p + "/t-" + r + "-" + i);
        }
      }
      assertThat(storedIn("p" + p)).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void replayingWhatWasAlreadyStoredStoresItOnce() {
    await(outage.push(List.of(item("a", "t-1"))));
    await(maintenance.set(Switch.PUSH, true));
    await(outage.push(List.of(item("a", "t-1"), item("a", "t-2"))));
    await(outage.push(List.of(item("a", "t-2"), item("a", "t-3"))));

    await(maintenance.set(Switch.PUSH, false));
    Eventually.until(Duration.ofSeconds(20), files::isEmpty, () -> "buffered " + files.items());

    assertThat(stored()).containsExactly("a/t-1", "a/t-2", "a/t-3");
  }

  @Test
  void whatAnEarlierRunLeftIsReplayedOnStart() throws Exception {
    outage.stop();
    files.close();
    Path earlier = dir.resolve("earlier");
    try (PushBuffer left = PushBuffer.open(earlier, 1 << 20).get(10, TimeUnit.SECONDS)) {
      left.append(List.of(item("a", "t-1"), item("a", "t-2"))).get(10, TimeUnit.SECONDS);
    }

    files = PushBuffer.open(earlier, 1 << 20).get(10, TimeUnit.SECONDS);
    assertThat(files.isEmpty()).isFalse();
    outage = new OutageBuffer(db.vertx(), core.push(), maintenance, files);
    outage.start();

    Eventually.until(Duration.ofSeconds(20), files::isEmpty, () -> "buffered " + files.items());
    assertThat(stored()).containsExactly("a/t-1", "a/t-2");
    assertThat(outage.replayed()).isEqualTo(2);
  }
}
