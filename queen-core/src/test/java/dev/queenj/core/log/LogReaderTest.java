package dev.queenj.core.log;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.push.KafkaOrigin;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LogReaderTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(4);
  /** A record of a 100-byte value, no key and no headers, as LogRecord.size counts it. */
  private static final int RECORD_SIZE = 116;

  private QueenCore core;

  @BeforeEach
  void start() {
    core = new QueenCore(db.database(), 2);
  }

  @Test
  void aReadAnswersRecordsWhileTheirSizesFitTheByteBudgetAndAlwaysTheFirst() {
    // given five records in one log, appended by two pushes (a batch of two, then of three)
    append("events", 0, 0, 2);
    append("events", 0, 2, 3);

    // then a read stops where the next record would exceed the budget, across the pushes' boundary
    assertThat(offsets(read("events", 0, 0, 3 * RECORD_SIZE))).containsExactly(0L, 1L, 2L);
    assertThat(offsets(read("events", 0, 0, 3 * RECORD_SIZE - 1))).containsExactly(0L, 1L);
    assertThat(offsets(read("events", 0, 1, 2 * RECORD_SIZE))).containsExactly(1L, 2L);
    // a budget smaller than one record still answers that record, so a consumer makes progress
    assertThat(offsets(read("events", 0, 3, 1))).containsExactly(3L);
    assertThat(offsets(read("events", 0, 2, Integer.MAX_VALUE))).containsExactly(2L, 3L, 4L);
  }

  @Test
  void aDeletedMessageStillCountsWithItsBytesSoTheReadAnswersFewerRecordsNeverMore() {
    // given five records, the second one deleted
    append("gaps", 0, 0, 5);
    await(db.database().pool().query("DELETE FROM messages WHERE log_offset = 1 AND queue_id = "
        + "(SELECT id FROM queues WHERE name = 'gaps')").execute());

    // then a budget of three records reaches as far as the third offset, whichever records are left before it
    assertThat(offsets(read("gaps", 0, 0, 3 * RECORD_SIZE))).containsExactly(0L, 2L);
    // and a read from the deleted offset starts at the next record, with the whole budget
    assertThat(offsets(read("gaps", 0, 1, 3 * RECORD_SIZE))).containsExactly(2L, 3L, 4L);
  }

  @Test
  void eachLogCountsItsOwnBytes() {
    // given records of one push spread over two logs, interleaved
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      items.add(PushItem.kafka("spread", null, new byte[100], new KafkaOrigin(i % 2, null, null, i)));
    }
    await(core.push().push(items));

    // then each log's positions start from its own first record
    assertThat(offsets(read("spread", 1, 0, 2 * RECORD_SIZE))).containsExactly(0L, 1L);
    assertThat(offsets(read("spread", 0, 1, 2 * RECORD_SIZE))).containsExactly(1L, 2L);
    Long logEnd = await(db.database().pool().query("SELECT h.next_position FROM log_heads h JOIN queues q"
        + " ON q.id = h.queue_id WHERE q.name = 'spread' AND h.kafka_partition = 1").execute()
        .map(rows -> rows.iterator().next().getLong(0)));
    assertThat(logEnd).isEqualTo(3L * RECORD_SIZE);
  }

  @Test
  void listenersAreToldWhatAnAppendAddedAsAReadOfItAnswers() throws Exception {
    // given a listener on a queue with two Kafka partitions, which earlier appends already used
    append("told", 0, 0, 2);
    List<LogAppend> told = new CopyOnWriteArrayList<>();
    try (AutoCloseable listening = core.appendSignal().listen("told", told::addAll)) {
      // when one push appends native messages (keyed and timed by Postgres) and Kafka records with headers to both
      byte[] headers = {2, 2, 'h', 2, 'v'};
      await(core.push().push(List.of(
          new PushItem("told", "conversation-1", null, null, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), null),
          PushItem.kafka("told", null, new byte[] {7}, new KafkaOrigin(0, new byte[] {1}, headers, 1234L)),
          PushItem.kafka("told", null, null, new KafkaOrigin(1, null, null, 99L)),
          new PushItem("told", "conversation-1", null, null, null, null))));
    }

    // then it was told each log's new records, exactly as reading them from where each log was answers them
    assertThat(told).extracting(LogAppend::kafkaPartition).containsExactlyInAnyOrder(0, 1);
    for (LogAppend append : told) {
      LogSlice read = read("told", append.kafkaPartition(), append.firstOffset(), Integer.MAX_VALUE);
      assertThat(append.nextOffset()).isEqualTo(read.highWatermark());
      assertThat(append.records()).hasSameSizeAs(read.records()).isNotEmpty();
      for (int i = 0; i < read.records().size(); i++) {
        LogRecord stored = read.records().get(i);
        LogRecord appended = append.records().get(i);
        assertThat(appended.offset()).isEqualTo(stored.offset());
        assertThat(appended.timestamp()).isEqualTo(stored.timestamp());
        assertThat(appended.key()).isEqualTo(stored.key());
        assertThat(appended.value()).isEqualTo(stored.value());
        assertThat(appended.headers()).isEqualTo(stored.headers());
      }
    }
  }

  private void append(String queue, int kafkaPartition, int first, int count) {
    List<PushItem> items = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      byte[] value = new byte[100];
      value[0] = (byte) i;
      items.add(PushItem.kafka(queue, null, value, new KafkaOrigin(kafkaPartition, null, null, i)));
    }
    await(core.push().push(items));
  }

  private LogSlice read(String queue, int kafkaPartition, long offset, int maxBytes) {
    return await(core.log().read(List.of(new LogPosition(queue, kafkaPartition, offset, maxBytes)))).get(0);
  }

  private static List<Long> offsets(LogSlice slice) {
    return slice.records().stream().map(LogRecord::offset).toList();
  }
}
