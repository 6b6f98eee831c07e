package dev.queenj.kafka.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

class ProduceRulesTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final RecordBatch BATCH = MemoryRecords.withRecords(Compression.NONE,
      new SimpleRecord(NOW, "k".getBytes(), "v".getBytes())).batches().iterator().next();

  @Test
  void aTopicWithoutConfigsTakesAnyTimestampAndNullKeys() {
    ProduceRules rules = ProduceRules.of(Map.of());

    assertThat(rules).isEqualTo(new ProduceRules(1048588, false, Long.MAX_VALUE, Long.MAX_VALUE));
    assertThatCode(() -> {
      rules.checkKey(null, "t-0");
      rules.checkTimestamp(BATCH, 0, 0, NOW);
      rules.checkTimestamp(BATCH, Long.MAX_VALUE, 0, NOW);
    }).doesNotThrowAnyException();
  }

  @Test
  void boundsAndKeysAreEnforcedWithKafkasWords() {
    ProduceRules rules = ProduceRules.of(Map.of("cleanup.policy", "delete,compact",
        "message.timestamp.before.max.ms", "1000", "message.timestamp.after.max.ms", "10"));

    assertThatThrownBy(() -> rules.checkKey(null, "t-0")).isInstanceOf(InvalidRecordException.class)
        .hasMessage("Compacted topic cannot accept message without key in topic partition t-0.");
    assertThatThrownBy(() -> rules.checkTimestamp(BATCH, NOW - 1001, 3, NOW))
        .isInstanceOf(InvalidTimestampException.class)
        .hasMessage("Timestamp " + (NOW - 1001) + " of message with offset 3 is out of range. The timestamp should"
            + " be within [" + (NOW - 1000) + ", " + (NOW + 10) + "]");
    assertThatThrownBy(() -> rules.checkTimestamp(BATCH, NOW + 11, 0, NOW))
        .isInstanceOf(InvalidTimestampException.class);
    assertThatCode(() -> {
      rules.checkKey(new byte[0], "t-0");
      rules.checkTimestamp(BATCH, NOW - 1000, 0, NOW);
      rules.checkTimestamp(BATCH, NOW + 10, 0, NOW);
      rules.checkTimestamp(BATCH, RecordBatch.NO_TIMESTAMP, 0, NOW);
    }).doesNotThrowAnyException();
  }
}
