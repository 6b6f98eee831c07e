package dev.queenj.core.log;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Kafka view of the log: reads by (queue, Kafka partition, offset) and looks offsets up by time, one statement
 * (one round trip, no transaction) for any number of partitions. Queues are named, not resolved first, so a read
 * costs no lookup; a queue or partition that does not exist answers null in its position.
 */
public final class LogReader {
  /** Bounds one partition's rows per read whatever its byte budget, so tiny records cannot make a read unbounded. */
  public static final int MAX_RECORDS_PER_PARTITION = 5_000;
  private static final String READ = Sql.load(LogReader.class, "log_read.sql");
  private static final String OFFSETS = Sql.load(LogReader.class, "log_offsets_select.sql");

  private final Database database;

  public LogReader(Database database) {
    this.database = database;
  }

  /** One slice per position ({@code value} = the offset to read from), null where the partition does not exist. */
  public Future<List<LogSlice>> read(List<LogPosition> positions) {
    Tuple params = params(positions, true).addValue(MAX_RECORDS_PER_PARTITION);
    return database.pool().preparedQuery(READ).execute(params).map(rows -> {
      LogSlice[] slices = new LogSlice[positions.size()];
      for (Row row : rows) {
        int at = row.getInteger("ord");
        if (slices[at] == null) {
          slices[at] = new LogSlice(row.getLong("log_start_offset"), row.getLong("next_offset"), new ArrayList<>());
        }
        if (row.getValue("log_offset") != null) {
          slices[at].records().add(new LogRecord(row.getLong("log_offset"), row.getLong("ts"),
              bytes(row.getBuffer("record_key")), bytes(row.getBuffer("payload")),
              bytes(row.getBuffer("record_headers"))));
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
