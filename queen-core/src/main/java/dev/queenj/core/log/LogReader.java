package dev.queenj.core.log;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.error.EncryptionException;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The Kafka view of the log: reads by (queue, Kafka partition, offset) and looks offsets up by time, in a few
 * statements for any number of partitions (each one round trip, no transaction). Queues are named, not resolved first, so a read
 * costs no lookup; a queue or partition that does not exist answers null in its position.
 */
public final class LogReader {
  /** Bounds one partition's rows per read whatever its byte budget, so tiny records cannot make a read unbounded. */
  public static final int MAX_RECORDS_PER_PARTITION = 5_000;
  /** Statements one read runs at once: enough for the cores of a small Postgres. */
  static final int READ_PARALLELISM = 4;
  private static final String READ = Sql.load(LogReader.class, "log_read.sql");
  /** The columns of log_read.sql, in its order. */
  private static final int READ_ORD = 0;
  private static final int READ_LOG_START = 1;
  private static final int READ_NEXT_OFFSET = 2;
  private static final int READ_OFFSET = 3;
  private static final int READ_TIMESTAMP = 4;
  private static final int READ_KEY = 5;
  private static final int READ_VALUE = 6;
  private static final int READ_HEADERS = 7;
  private static final int READ_KEY_ID = 8;
  private static final String OFFSETS = Sql.load(LogReader.class, "log_offsets_select.sql");

  private final Database database;
  private final PayloadCipher cipher;

  /** {@code cipher} opens the record values stored encrypted. */
  public LogReader(Database database, PayloadCipher cipher) {
    this.database = database;
    this.cipher = cipher;
  }

  /**
   * One slice per position ({@code value} = the offset to read from), null where the partition does not exist. The
   * positions are read by up to {@link #READ_PARALLELISM} statements at once, so that one large fetch keeps more
   * than one Postgres core busy.
   */
  public Future<List<LogSlice>> read(List<LogPosition> positions) {
    int statements = Math.min(positions.size(), READ_PARALLELISM);
    List<List<Integer>> shares = new ArrayList<>(statements);
    for (int s = 0; s < statements; s++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < positions.size(); i++) {
      shares.get(i % statements).add(i);
    }
    LogSlice[] slices = new LogSlice[positions.size()];
    // per position, the lowest offset whose value could not be decrypted, and why
    EncryptionException[] unreadable = new EncryptionException[positions.size()];
    long[] unreadableAt = new long[positions.size()];
    List<Future<Void>> reads = new ArrayList<>(statements);
    for (List<Integer> share : shares) {
      List<LogPosition> mine = new ArrayList<>(share.size());
      share.forEach(i -> mine.add(positions.get(i)));
      Tuple params = params(mine, true).addValue(MAX_RECORDS_PER_PARTITION);
      reads.add(database.pool().preparedQuery(READ).execute(params).map(rows -> {
        // by column index: looking columns up by name cost a tenth of decoding each of many rows
        for (Row row : rows) {
          int at = share.get(row.getInteger(READ_ORD));
          if (slices[at] == null) {
            slices[at] = new LogSlice(row.getLong(READ_LOG_START), row.getLong(READ_NEXT_OFFSET), new ArrayList<>());
          }
          Long offset = row.getLong(READ_OFFSET);
          if (offset == null) {
            continue;
          }
          byte[] value = bytes(row.getBuffer(READ_VALUE));
          Integer keyId = row.getInteger(READ_KEY_ID);
          if (keyId != null) {
            try {
              value = cipher.open(keyId, value);
            } catch (EncryptionException e) {
              if (unreadable[at] == null || offset < unreadableAt[at]) {
                unreadable[at] = e;
                unreadableAt[at] = offset;
              }
              continue;
            }
          }
          slices[at].records().add(new LogRecord(offset, row.getLong(READ_TIMESTAMP),
              bytes(row.getBuffer(READ_KEY)), value, bytes(row.getBuffer(READ_HEADERS))));
        }
        return null;
      }));
    }
    return Future.all(reads).map(done -> {
      for (int i = 0; i < slices.length; i++) {
        LogSlice slice = slices[i];
        if (slice != null) {
          // each partition's rows come from one ordered scan; nothing promises the order in which they are sent
          slice.records().sort(Comparator.comparingLong(LogRecord::offset));
          if (unreadable[i] != null) {
            long stop = unreadableAt[i];
            slice.records().removeIf(record -> record.offset() > stop);
            slices[i] = new LogSlice(slice.logStartOffset(), slice.highWatermark(), slice.records(), unreadable[i]);
          }
        }
      }
      return Arrays.asList(slices);
    });
  }

  /**
   * One answer per position ({@code value} = a timestamp in ms, or -3 for the record with the largest timestamp),
   * null where the partition does not exist.
   */
  public Future<List<LogOffset>> offsets(List<LogPosition> positions) {
    return database.pool().preparedQuery(OFFSETS).execute(params(positions, false)).map(rows -> {
      LogOffset[] found = new LogOffset[positions.size()];
      for (Row row : rows) {
        Long offset = row.getLong("log_offset");
        found[row.getInteger("ord")] = new LogOffset(row.getLong("log_start_offset"), row.getLong("next_offset"),
            offset == null ? -1 : offset, offset == null ? -1 : row.getLong("ts"));
      }
      return Arrays.asList(found);
    });
  }

  private static Tuple params(List<LogPosition> positions, boolean withBytes) {
    int n = positions.size();
    String[] queues = new String[n];
    Integer[] partitions = new Integer[n];
    Long[] values = new Long[n];
    Integer[] maxBytes = new Integer[n];
    Integer[] ord = new Integer[n];
    for (int i = 0; i < n; i++) {
      LogPosition position = positions.get(i);
      queues[i] = position.queue();
      partitions[i] = position.kafkaPartition();
      values[i] = position.value();
      maxBytes[i] = position.maxBytes();
      ord[i] = i;
    }
    Tuple params = Tuple.tuple().addValue(queues).addValue(partitions).addValue(values);
    if (withBytes) {
      params.addValue(maxBytes);
    }
    return params.addValue(ord);
  }

  private static byte[] bytes(Buffer buffer) {
    return buffer == null ? null : buffer.getBytes();
  }
}
