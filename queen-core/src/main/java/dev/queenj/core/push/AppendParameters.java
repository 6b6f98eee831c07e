package dev.queenj.core.push;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * The typed binding of {@code message_append.sql}'s parameters. Each one is named once below, with the number the
 * statement gives it and the array type it casts it to; values are put by name and land at that number, whatever
 * order the code fills them in, and the tuple is refused while any is missing or set twice. Adding, removing or
 * renumbering a parameter in the statement without changing it here fails {@code AppendParametersTest}, which reads
 * the statement's {@code $n::type} casts and asks Postgres for the types it inferred.
 *
 * <p>This is the append's hot path: a fixed-size array filled by index, no map and no copying beyond the tuple.
 */
final class AppendParameters {
  /** One parameter: its number in the statement ({@code $n}), the array type the statement casts it to. */
  record Param<T>(int number, String sqlType, Class<T> javaType, String name) {}

  // Items: one entry per item still to be written.
  static final Param<Integer[]> ITEM_LOG = param(1, "int[]", Integer[].class, "item log (index into the logs)");
  static final Param<Integer[]> ITEM_RANK = param(2, "int[]", Integer[].class, "item rank in its log");
  static final Param<UUID[]> ITEM_PARTITION = param(3, "uuid[]", UUID[].class, "item Queen partition");
  static final Param<UUID[]> ITEM_ID = param(4, "uuid[]", UUID[].class, "item message id");
  static final Param<String[]> ITEM_TRANSACTION_ID = param(5, "text[]", String[].class, "item transaction id");
  static final Param<UUID[]> ITEM_TRACE_ID = param(6, "uuid[]", UUID[].class, "item trace id");
  static final Param<Buffer[]> ITEM_PAYLOAD = param(7, "bytea[]", Buffer[].class, "item payload");
  static final Param<String[]> ITEM_PRODUCER_SUB = param(8, "text[]", String[].class, "item producer sub");
  static final Param<Buffer[]> ITEM_RECORD_KEY = param(9, "bytea[]", Buffer[].class, "item record key");
  static final Param<Buffer[]> ITEM_RECORD_HEADERS = param(10, "bytea[]", Buffer[].class, "item record headers");
  static final Param<Long[]> ITEM_RECORD_TIMESTAMP = param(11, "bigint[]", Long[].class, "item record timestamp");
  // Logs: one entry per (queue, Kafka partition) appended to.
  static final Param<UUID[]> LOG_QUEUE = param(12, "uuid[]", UUID[].class, "log queue id");
  static final Param<Integer[]> LOG_KAFKA_PARTITION = param(13, "int[]", Integer[].class, "log Kafka partition");
  static final Param<Integer[]> LOG_COUNT = param(14, "int[]", Integer[].class, "items appended to each log");
  static final Param<Integer[]> LOG_PARTITION_COUNT = param(15, "int[]", Integer[].class,
      "the log's queue's Kafka partition count");
  // Queen partitions written.
  static final Param<UUID[]> HEAD_ID = param(16, "uuid[]", UUID[].class, "Queen partition id");
  static final Param<String[]> HEAD_NAME = param(17, "text[]", String[].class, "Queen partition name");
  static final Param<Integer[]> HEAD_LOG = param(18, "int[]", Integer[].class, "Queen partition log");
  static final Param<Integer[]> HEAD_NEWEST_RANK = param(19, "int[]", Integer[].class,
      "rank of the Queen partition's newest item");
  // Items to check for stored duplicates.
  static final Param<Integer[]> PROBE_ITEM = param(20, "int[]", Integer[].class, "probed item index");
  static final Param<UUID[]> PROBE_PARTITION = param(21, "uuid[]", UUID[].class, "probed Queen partition");
  static final Param<String[]> PROBE_TRANSACTION_ID = param(22, "text[]", String[].class, "probed transaction id");
  // Kafka records sent to their fallback partition.
  static final Param<UUID[]> ELSEWHERE_PARTITION = param(23, "uuid[]", UUID[].class, "key's Queen partition");
  static final Param<Integer[]> ELSEWHERE_KAFKA_PARTITION = param(24, "int[]", Integer[].class,
      "Kafka partition the key's partition must not live in");
  // Producer states to write.
  static final Param<Long[]> STATE_PRODUCER = param(25, "bigint[]", Long[].class, "producer id");
  static final Param<Integer[]> STATE_LOG = param(26, "int[]", Integer[].class, "producer state log");
  static final Param<Integer[]> STATE_EPOCH = param(27, "int[]", Integer[].class, "producer epoch");
  static final Param<Integer[]> STATE_LAST_SEQUENCE = param(28, "int[]", Integer[].class, "last sequence");
  static final Param<Integer[]> STATE_EXPECTED_EPOCH = param(29, "int[]", Integer[].class, "expected epoch");
  static final Param<Integer[]> STATE_EXPECTED_LAST = param(30, "int[]", Integer[].class, "expected last sequence");
  // The producer states' last batches, oldest first.
  static final Param<Integer[]> BATCH_STATE = param(31, "int[]", Integer[].class, "batch's state (index)");
  static final Param<Integer[]> BATCH_POSITION = param(32, "int[]", Integer[].class, "batch position");
  static final Param<Integer[]> BATCH_FIRST_SEQUENCE = param(33, "int[]", Integer[].class, "batch first sequence");
  static final Param<Integer[]> BATCH_LAST_SEQUENCE = param(34, "int[]", Integer[].class, "batch last sequence");
  static final Param<Long[]> BATCH_BASE_OFFSET = param(35, "bigint[]", Long[].class, "batch base offset if stored");
  static final Param<Integer[]> BATCH_RANK = param(36, "int[]", Integer[].class, "rank of the batch's first item");
  // Byte positions.
  static final Param<Long[]> ITEM_END = param(37, "bigint[]", Long[].class, "item end within the log's bytes");
  static final Param<Long[]> LOG_BYTES = param(38, "bigint[]", Long[].class, "bytes appended to each log");
  // Encryption.
  static final Param<Integer[]> ITEM_PAYLOAD_KEY = param(39, "int[]", Integer[].class, "item payload key id");
  static final Param<Boolean[]> LOG_ENCRYPTED = param(40, "boolean[]", Boolean[].class, "log queue encrypted");

  /** Every parameter, in statement order; a parameter missing here is missing from every tuple. */
  static final List<Param<?>> ALL = List.of(ITEM_LOG, ITEM_RANK, ITEM_PARTITION, ITEM_ID, ITEM_TRANSACTION_ID,
      ITEM_TRACE_ID, ITEM_PAYLOAD, ITEM_PRODUCER_SUB, ITEM_RECORD_KEY, ITEM_RECORD_HEADERS, ITEM_RECORD_TIMESTAMP,
      LOG_QUEUE, LOG_KAFKA_PARTITION, LOG_COUNT, LOG_PARTITION_COUNT, HEAD_ID, HEAD_NAME, HEAD_LOG, HEAD_NEWEST_RANK,
      PROBE_ITEM, PROBE_PARTITION, PROBE_TRANSACTION_ID, ELSEWHERE_PARTITION, ELSEWHERE_KAFKA_PARTITION,
      STATE_PRODUCER, STATE_LOG, STATE_EPOCH, STATE_LAST_SEQUENCE, STATE_EXPECTED_EPOCH, STATE_EXPECTED_LAST,
      BATCH_STATE, BATCH_POSITION, BATCH_FIRST_SEQUENCE, BATCH_LAST_SEQUENCE, BATCH_BASE_OFFSET, BATCH_RANK,
      ITEM_END, LOG_BYTES, ITEM_PAYLOAD_KEY, LOG_ENCRYPTED);

  static {
    for (int i = 0; i < ALL.size(); i++) {
      if (ALL.get(i).number() != i + 1) {
        throw new ExceptionInInitializerError("append parameter " + ALL.get(i).name() + " is $"
            + ALL.get(i).number() + " but listed " + (i + 1) + "th");
      }
    }
  }

  private final Object[] values = new Object[ALL.size()];
  private final boolean[] set = new boolean[ALL.size()];

  private static <T> Param<T> param(int number, String sqlType, Class<T> javaType, String name) {
    return new Param<>(number, sqlType, javaType, name);
  }

  /**
   * Binds {@code param}; {@code value} may be null where the statement reads a null array as all nulls
   * ({@link #ITEM_PAYLOAD_KEY} when no item is sealed).
   */
  <T> AppendParameters put(Param<T> param, T value) {
    int index = param.number() - 1;
    if (set[index]) {
      throw new IllegalStateException("append parameter $" + param.number() + " (" + param.name() + ") set twice");
    }
    values[index] = value;
    set[index] = true;
    return this;
  }

  /** The tuple in statement order; refused while a parameter is unbound. */
  Tuple tuple() {
    for (int i = 0; i < set.length; i++) {
      if (!set[i]) {
        throw new IllegalStateException("append parameter $" + (i + 1) + " (" + ALL.get(i).name() + ") not set");
      }
    }
    // addValue keeps each array as one value (Tuple.of would spread an array argument as varargs); the same tuple
    // class the driver got before this binding existed, so the hot path sends exactly what it sent
    Tuple tuple = Tuple.tuple();
    for (Object value : values) {
      tuple.addValue(value);
    }
    return tuple;
  }
}
