package dev.queenj.core.log;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The size of each Kafka partition's log, for Kafka's DescribeLogDirs (what {@code kafka-log-dirs} and UI tools show
 * per partition): computed from the byte positions the append keeps (V010), so it costs one probe per log.
 */
public final class LogSizes {
  private static final String SELECT = Sql.load(LogSizes.class, "log_sizes_select.sql");

  private final Database database;

  /** The database holding the logs, and the size of each of them. */
  public record Sizes(String database, List<LogSize> logs) {}

  public LogSizes(Database database) {
    this.database = database;
  }

  /** Every log of these queues (null: of every queue), by queue name and partition. */
  public Future<Sizes> of(Collection<String> queues) {
    Tuple params = Tuple.tuple().addValue(queues == null ? null : queues.toArray(new String[0]));
    return database.pool().preparedQuery(SELECT).execute(params).map(rows -> {
      String name = null;
      List<LogSize> logs = new ArrayList<>(rows.size());
      for (Row row : rows) {
        name = row.getString("database_name");
        if (row.getString("name") != null) {
          logs.add(new LogSize(row.getString("name"), row.getInteger("kafka_partition"), row.getLong("size_bytes")));
        }
      }
      return new Sizes(name, logs);
    });
  }
}
