package dev.queenj.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Postgres read floor of a Kafka consume: the records a topic holds, read back by a bare loop through the same
 * driver (vertx-pg-client), no broker and no client competing for the cores. Each Kafka partition is read page by
 * page in offset order through the messages primary key, the columns a fetch answers and nothing else (no byte
 * budget, no encoding), each value copied out of the row as any consumer of rows must; the partitions are read by as
 * many statements at once as the server's fetch runs. What a fetch can at most approach on this machine.
 */
final class ReadFloor {
  static final String WORKLOAD = "kafka consume (records/s, fetch only) vs Postgres read floor";
  /** As the server's fetch: {@code LogReader.READ_PARALLELISM} statements, {@code MAX_RECORDS_PER_PARTITION} rows. */
  private static final int CONNECTIONS = 4;
  private static final int PAGE = 5_000;
  private static final String PAGE_SQL = "SELECT log_offset, record_timestamp, record_key, payload, record_headers"
      + " FROM messages WHERE queue_id = $1 AND kafka_partition = $2 AND log_offset >= $3"
      + " ORDER BY log_offset LIMIT " + PAGE;

  private ReadFloor() {}

  /** Passes over every record after one that warms the cache and the JIT; the row is their median rate. */
  private static final int TIMED_PASSES = 3;

  /** Reads every record of {@code queue} {@code 1 + TIMED_PASSES} times and prints the result row. */
  static void run(String pgUrl, String queue) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(pgUrl).setCachePreparedStatements(true))
          .with(new PoolOptions().setMaxSize(CONNECTIONS)).using(vertx).build();
      Row log = await(pool.preparedQuery("SELECT q.id, count(h.kafka_partition)::int FROM queues q"
          + " JOIN log_heads h ON h.queue_id = q.id WHERE q.name = $1 GROUP BY q.id").execute(Tuple.of(queue)))
          .iterator().next();
      UUID queueId = log.getUUID(0);
      int partitions = log.getInteger(1);
      readAll(pool, queueId, partitions);
      double[] rates = new double[TIMED_PASSES];
      for (int i = 0; i < rates.length; i++) {
        long t0 = System.nanoTime();
        long records = readAll(pool, queueId, partitions);
        rates[i] = records / ((System.nanoTime() - t0) / 1e9);
      }
      Arrays.sort(rates);
      System.out.printf(Locale.ROOT, "floor\t%s\t%.0f\trec/s%n", WORKLOAD, rates[rates.length / 2]);
      await(pool.close());
    } finally {
      vertx.close();
    }
  }

  private static long readAll(Pool pool, UUID queueId, int partitions) throws Exception {
    AtomicLong records = new AtomicLong();
    List<Future<Void>> reads = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      reads.add(readFrom(pool, queueId, p, 0, records));
    }
    await(Future.all(reads));
    return records.get();
  }

  private static Future<Void> readFrom(Pool pool, UUID queueId, int partition, long offset,
      AtomicLong records) {
    return pool.preparedQuery(PAGE_SQL).execute(Tuple.of(queueId, partition, offset)).compose(rows -> {
      long next = offset;
      for (Row row : rows) {
        next = row.getLong(0) + 1;
        row.getLong(1);
        bytes(row.getBuffer(2));
        bytes(row.getBuffer(3));
        bytes(row.getBuffer(4));
      }
      records.addAndGet(rows.size());
      return rows.size() < PAGE ? Future.succeededFuture() : readFrom(pool, queueId, partition, next, records);
    });
  }

  private static byte[] bytes(Buffer buffer) {
    return buffer == null ? null : buffer.getBytes();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
