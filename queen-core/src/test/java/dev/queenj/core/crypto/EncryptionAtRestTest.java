package dev.queenj.core.crypto;

import static dev.queenj.core.crypto.PayloadCipherTest.KEY_A;
import static dev.queenj.core.crypto.PayloadCipherTest.KEY_B;
import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.QueenCore;
import dev.queenj.core.error.EncryptionException;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.log.LogPosition;
import dev.queenj.core.log.LogRecord;
import dev.queenj.core.log.LogSlice;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.push.PushOutcome;
import dev.queenj.core.queue.QueueOptions;
import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.core.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Encryption at rest against Postgres: what is stored for queues with encryptionEnabled, what every read answers,
 * queues switched on and off, key rotation, altered ciphertext, and the refusals without a key. The HTTP and Kafka
 * round trips are in the server's EncryptionTest.
 */
class EncryptionAtRestTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(4);
  private static final PayloadCipher CIPHER_A = PayloadCipher.of(KEY_A, List.of());

  /** An instance with these keys, whose queues have one Kafka partition. */
  private static QueenCore core(PayloadCipher cipher) {
    return new QueenCore(db.database(), 1, RetentionConfig.DEFAULTS, cipher);
  }

  private static Future<?> configure(QueenCore core, String queue, boolean encrypted) {
    QueueOptions o = QueueOptions.DEFAULTS;
    return core.queues().configure(queue, "", "", new QueueOptions(o.leaseTime(), o.retryLimit(), o.retryDelay(),
        o.maxSize(), o.ttl(), o.deadLetterQueue(), o.dlqAfterMaxRetries(), o.priority(), o.delayedProcessing(),
        o.windowBuffer(), o.retentionSeconds(), o.completedRetentionSeconds(), o.retentionEnabled(), encrypted,
        o.maxWaitTimeSeconds()));
  }

  private static PushOutcome push(QueenCore core, String queue, String transactionId, String payload) {
    PushItem item = new PushItem(queue, "p", transactionId, null, payload.getBytes(StandardCharsets.UTF_8), null);
    return await(core.push().push(List.of(item))).get(0);
  }

  /** The stored payload and key id of a message. */
  private static Row stored(String transactionId) {
    return await(db.database().pool().preparedQuery("SELECT payload, payload_key_id FROM messages "
        + "WHERE transaction_id = $1").execute(Tuple.of(transactionId))).iterator().next();
  }

  private static String found(QueenCore core, PushOutcome pushed) {
    byte[] payload = await(core.messages().find(pushed.partitionId(), pushed.transactionId())).orElseThrow().payload();
    return new String(payload, StandardCharsets.UTF_8);
  }

  private static LogSlice log(QueenCore core, String queue) {
    return await(core.log().read(List.of(new LogPosition(queue, 0, 0, 1 << 20)))).get(0);
  }

  private static List<String> values(LogSlice slice) {
    List<String> values = new ArrayList<>();
    for (LogRecord record : slice.records()) {
      values.add(new String(record.value(), StandardCharsets.UTF_8));
    }
    return values;
  }

  @Test
  void anEncryptedQueuesPayloadIsStoredSealedAndEveryReadOpensIt() {
    QueenCore core = core(CIPHER_A);
    await(configure(core, "secret", true));

    PushOutcome pushed = push(core, "secret", "t1", "{\"card\":\"4111 1111 1111 1111\"}");

    Row row = stored("t1");
    byte[] bytes = row.getBuffer("payload").getBytes();
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("4111").doesNotContain("card");
    assertThat(bytes).hasSize(12 + "{\"card\":\"4111 1111 1111 1111\"}".length() + 16);
    assertThat(row.getInteger("payload_key_id")).isEqualTo(CIPHER_A.keyId());
    assertThat(found(core, pushed)).isEqualTo("{\"card\":\"4111 1111 1111 1111\"}");
    assertThat(values(log(core, "secret"))).containsExactly("{\"card\":\"4111 1111 1111 1111\"}");
  }

  @Test
  void messagesKeepTheFormTheyWereStoredInWhenTheQueueIsSwitchedOnAndOff() {
    QueenCore core = core(CIPHER_A);
    push(core, "switched", "before", "1");
    await(configure(core, "switched", true));
    push(core, "switched", "during", "2");
    await(configure(core, "switched", false));
    push(core, "switched", "after", "3");

    assertThat(stored("before").getInteger("payload_key_id")).isNull();
    assertThat(stored("before").getBuffer("payload")).isEqualTo(Buffer.buffer("1"));
    assertThat(stored("during").getInteger("payload_key_id")).isEqualTo(CIPHER_A.keyId());
    assertThat(stored("after").getInteger("payload_key_id")).isNull();
    assertThat(values(log(core, "switched"))).containsExactly("1", "2", "3");
  }

  @Test
  void afterRotationTheOldKeyStillOpensWhatItSealedAndWithoutItTheReadFailsClearly() {
    QueenCore before = core(CIPHER_A);
    await(configure(before, "rotated", true));
    PushOutcome old = push(before, "rotated", "old", "sealed under A");

    QueenCore rotated = core(PayloadCipher.of(KEY_B, List.of(KEY_A)));
    PushOutcome fresh = push(rotated, "rotated", "new", "sealed under B");
    QueenCore oldKeyDropped = core(PayloadCipher.of(KEY_B, List.of()));

    assertThat(found(rotated, old)).isEqualTo("sealed under A");
    assertThat(stored("new").getInteger("payload_key_id")).isEqualTo(PayloadCipher.of(KEY_B, List.of()).keyId());
    assertThat(values(log(rotated, "rotated"))).containsExactly("sealed under A", "sealed under B");
    assertThat(found(oldKeyDropped, fresh)).isEqualTo("sealed under B");
    assertThatThrownBy(() -> found(oldKeyDropped, old)).isInstanceOf(EncryptionException.class)
        .hasMessageContaining(PayloadCipher.describe(CIPHER_A.keyId()));
    LogSlice unreadable = log(oldKeyDropped, "rotated");
    assertThat(unreadable.records()).isEmpty();
    assertThat(unreadable.unreadable()).hasMessageContaining("QUEEN_ENCRYPTION_OLD_KEYS");
  }

  @Test
  void alteredCiphertextFailsAuthenticationAndIsNeverAnswered() {
    QueenCore core = core(CIPHER_A);
    await(configure(core, "altered", true));
    push(core, "altered", "fine", "first");
    PushOutcome pushed = push(core, "altered", "t1", "the original");
    await(db.database().pool().preparedQuery("UPDATE messages SET payload = set_byte(payload, 20, "
        + "get_byte(payload, 20) # 1) WHERE transaction_id = $1").execute(Tuple.of("t1")));

    assertThatThrownBy(() -> found(core, pushed)).isInstanceOf(EncryptionException.class)
        .hasMessageContaining("failed authentication");
    LogSlice slice = log(core, "altered");
    assertThat(values(slice)).containsExactly("first");
    assertThat(slice.unreadable()).hasMessageContaining("altered");
  }

  @Test
  void withoutAKeyEncryptionIsRefusedAndNothingChanges() {
    QueenCore keyless = core(PayloadCipher.NONE);
    await(configure(keyless, "plain", false));

    assertThatThrownBy(() -> await(configure(keyless, "plain", true))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("QUEEN_ENCRYPTION_KEY");
    assertThatThrownBy(() -> await(configure(keyless, "never", true))).isInstanceOf(InvalidRequestException.class);
    assertThat(await(keyless.queues().find("plain")).orElseThrow().options().encryptionEnabled()).isFalse();
    assertThat(await(keyless.queues().find("never"))).isEmpty();
  }

  @Test
  void aServerWithoutAKeyIsToldWhichQueuesNeedOne() {
    await(EncryptedQueues.requireKey(db.database(), PayloadCipher.NONE));
    await(configure(core(CIPHER_A), "needs-a-key", true));

    await(EncryptedQueues.requireKey(db.database(), CIPHER_A));
    assertThatThrownBy(() -> await(EncryptedQueues.requireKey(db.database(), PayloadCipher.NONE)))
        .hasMessageContaining("needs-a-key").hasMessageContaining("QUEEN_ENCRYPTION_KEY is not set");
  }

  @Test
  void anInstanceThatCachedTheQueueBeforeEncryptionWasSwitchedOnElsewhereStillSeals() {
    QueenCore one = core(CIPHER_A);
    QueenCore two = core(CIPHER_A);
    push(two, "elsewhere", "cached", "plain");

    await(configure(one, "elsewhere", true));
    push(two, "elsewhere", "stale", "must be sealed");

    assertThat(stored("cached").getInteger("payload_key_id")).isNull();
    assertThat(stored("stale").getInteger("payload_key_id")).isEqualTo(CIPHER_A.keyId());
    assertThat(values(log(two, "elsewhere"))).containsExactly("plain", "must be sealed");
  }
}
