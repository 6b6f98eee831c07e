package dev.queenj.core.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.error.ServiceUnavailableException;
import dev.queenj.core.push.PushItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buffer's files on their own: what was appended comes back in order, across reopening and a torn tail. */
class PushBufferTest {
  @TempDir
  Path dir;

  private static PushItem item(String partition, String transactionId) {
    return new PushItem("orders", partition, transactionId, null,
        ("{\"id\":\"" + transactionId + "\"}").getBytes(StandardCharsets.UTF_8), null);
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> ids(List<PushItem> items) {
    return items.stream().map(PushItem::transactionId).toList();
  }

  /** Reads and drops segment after segment, as the replay does, until a seal finds nothing left. */
  private static List<String> drain(PushBuffer buffer) {
    List<String> read = new ArrayList<>();
    for (List<PushBuffer.Segment> sealed = await(buffer.seal(0)); !sealed.isEmpty(); sealed = await(buffer.seal(0))) {
      read.addAll(ids(await(buffer.read(sealed.get(0)))));
      await(buffer.drop(sealed.get(0)));
    }
    assertThat(buffer.isEmpty()).isTrue();
    assertThat(buffer.items()).isZero();
    return read;
  }

  @Test
  void sealingKeepsAppendingToOneSegmentWhileOlderOnesWait() {
    try (PushBuffer buffer = await(PushBuffer.open(dir, 1 << 20))) {
      await(buffer.append(List.of(item("p", "t-0"))));
      List<PushBuffer.Segment> first = await(buffer.seal(0));
      await(buffer.append(List.of(item("p", "t-1"))));
      await(buffer.append(List.of(item("p", "t-2"))));

      assertThat(await(buffer.seal(0))).as("the older segment is not replayed yet").isEqualTo(first);
      assertThat(buffer.handingOver()).isFalse();
      await(buffer.drop(first.get(0)));
      List<PushBuffer.Segment> last = await(buffer.seal(10));
      assertThat(last).hasSize(1);
      assertThat(last.get(0).records()).isEqualTo(2);
      assertThat(buffer.handingOver()).as("the last few items: new pushes wait for them").isTrue();
      assertThat(buffer.isEmpty()).isFalse();
      await(buffer.drop(last.get(0)));
      assertThat(await(buffer.seal(10))).isEmpty();
      assertThat(buffer.handingOver()).isFalse();
      assertThat(buffer.isEmpty()).isTrue();
    }
  }

  @Test
  void withAKeyPayloadsAreSealedOnDiskAndStillReadAfterARotation() throws IOException {
    String key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    PushItem plainBefore = item("p", "t-0");
    try (PushBuffer keyless = await(PushBuffer.open(dir, 1 << 20))) {
      await(keyless.append(List.of(plainBefore)));
    }
    PushItem secret = new PushItem("orders", "p", "t-1", null, "{\"card\":\"4111\"}".getBytes(StandardCharsets.UTF_8),
        null);
    try (PushBuffer sealing = await(PushBuffer.open(dir, 1 << 20, PayloadCipher.of(key, List.of())))) {
      await(sealing.append(List.of(secret)));
    }

    StringBuilder onDisk = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        onDisk.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(onDisk).contains("t-1").doesNotContain("4111").contains("{\"id\":\"t-0\"}");
    String next = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    try (PushBuffer rotated = await(PushBuffer.open(dir, 1 << 20, PayloadCipher.of(next, List.of(key))))) {
      List<PushItem> read = new ArrayList<>();
      for (PushBuffer.Segment segment : await(rotated.seal(0))) {
        read.addAll(await(rotated.read(segment)));
      }
      assertThat(read).usingRecursiveFieldByFieldElementComparator().containsExactly(plainBefore, secret);
    }
  }

  @Test
  void appendedItemsComeBackInOrderWithEveryFieldAfterReopening() {
    UUID trace = UUID.randomUUID();
    PushItem full = new PushItem("orders.billing", "user-1", "t-0", trace, "{\"a\":[1,2]}".getBytes(
        StandardCharsets.UTF_8), "alice");
    PushItem bare = new PushItem("orders", null, "t-1", null, null, null);
    try (PushBuffer buffer = await(PushBuffer.open(dir, 1 << 20))) {
      assertThat(buffer.isEmpty()).isTrue();
      await(buffer.append(List.of(full, bare)));
      assertThat(buffer.isEmpty()).isFalse();
      assertThat(buffer.items()).isEqualTo(2);
    }

    try (PushBuffer reopened = await(PushBuffer.open(dir, 1 << 20))) {
      assertThat(reopened.isEmpty()).isFalse();
      List<PushBuffer.Segment> sealed = await(reopened.seal(0));
      assertThat(sealed).hasSize(1);
      List<PushItem> read = await(reopened.read(sealed.get(0)));
      assertThat(read).hasSize(2);
      assertThat(read.get(0)).usingRecursiveComparison().isEqualTo(full);
      assertThat(read.get(1)).usingRecursiveComparison().isEqualTo(bare);
      assertThat(read.get(1).partition()).isEqualTo("Default");

      await(reopened.drop(sealed.get(0)));
      assertThat(reopened.items()).isZero();
      assertThat(reopened.bytes()).isZero();
      assertThat(await(reopened.seal(0))).isEmpty();
      assertThat(reopened.isEmpty()).isTrue();
    }
  }

  @Test
  void aTornLastRecordIsIgnoredAndTheRestReplays() throws IOException {
    try (PushBuffer buffer = await(PushBuffer.open(dir, 1 << 20))) {
      await(buffer.append(List.of(item("p", "t-0"), item("p", "t-1"))));
      await(buffer.append(List.of(item("p", "t-2"))));
    }
    Path segment;
    try (var files = Files.list(dir)) {
      segment = files.filter(f -> f.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
    }
    // a crash in the middle of writing a fourth record: its header and half its body
    byte[] fourth = BufferRecords.frame(item("p", "t-3"), PayloadCipher.NONE);
    Files.write(segment, java.util.Arrays.copyOf(fourth, fourth.length / 2), StandardOpenOption.APPEND);

    try (PushBuffer reopened = await(PushBuffer.open(dir, 1 << 20))) {
      assertThat(reopened.items()).isEqualTo(3);
      await(reopened.append(List.of(item("p", "t-4"))));
      assertThat(drain(reopened)).containsExactly("t-0", "t-1", "t-2", "t-4");
    }
  }

  @Test
  void aGarbledChecksumEndsTheFileThere() throws IOException {
    try (PushBuffer buffer = await(PushBuffer.open(dir, 1 << 20))) {
      await(buffer.append(List.of(item("p", "t-0"), item("p", "t-1"))));
    }
    Path segment;
    try (var files = Files.list(dir)) {
      segment = files.findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 1] ^= 0x55;
    Files.write(segment, bytes);

    try (PushBuffer reopened = await(PushBuffer.open(dir, 1 << 20))) {
      List<PushBuffer.Segment> sealed = await(reopened.seal(0));
      assertThat(ids(await(reopened.read(sealed.get(0))))).containsExactly("t-0");
    }
  }

  @Test
  void aFullBufferRefusesTheWholeRequestAndKeepsWhatItHas() {
    long oneItem = BufferRecords.frame(item("p", "t-0"), PayloadCipher.NONE).length;
    try (PushBuffer buffer = await(PushBuffer.open(dir, oneItem * 3))) {
      await(buffer.append(List.of(item("p", "t-0"), item("p", "t-1"))));

      assertThatThrownBy(() -> buffer.append(List.of(item("p", "t-2"), item("p", "t-3"))).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ServiceUnavailableException.class)
          .hasMessageContaining("full");
      assertThat(buffer.items()).isEqualTo(2);
      await(buffer.append(List.of(item("p", "t-2"))));
      assertThat(buffer.items()).isEqualTo(3);
    }
  }

  @Test
  void concurrentAppendsAllLandInTheOrderTheyWereSubmitted() {
    try (PushBuffer buffer = await(PushBuffer.open(dir, 64 << 20))) {
      List<CompletableFuture<Void>> appends = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        appends.add(buffer.append(List.of(item("p", "t-" + i))));
      }
      appends.forEach(PushBufferTest::await);
      System.out.printf("buffer: 500 concurrent appends, %d fsyncs%n", buffer.syncs());
      assertThat(buffer.syncs()).as("appends waiting together share one fsync").isLessThan(500);
      List<String> read = drain(buffer);
      assertThat(read).hasSize(500);
      for (int i = 0; i < 500; i++) {
        assertThat(read.get(i)).isEqualTo("t-" + i);
      }
    }
  }
}
