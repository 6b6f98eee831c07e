package dev.queenj.core.kafkatxn;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the admin APIs show of transactions and producers (DescribeTransactions, ListTransactions,
 * DescribeProducers).
 */
public final class TransactionViews {
  private static final String DESCRIBE = Sql.load(TransactionViews.class, "transactions_describe.sql");
  private static final String LIST = Sql.load(TransactionViews.class, "transactions_list.sql");
  private static final String PRODUCERS = Sql.load(TransactionViews.class, "producers_describe.sql");

  private final Database database;
  private final long producerIdExpirationMs;

  /** {@code producerIdExpirationMs}: how long a producer counts as active after its last write to a log. */
  public TransactionViews(Database database, long producerIdExpirationMs) {
    this.database = database;
    this.producerIdExpirationMs = producerIdExpirationMs;
  }

  /** The known ones among {@code transactionalIds}, by id. */
  public Future<Map<String, TransactionDescription>> describe(Collection<String> transactionalIds) {
    return database.pool().preparedQuery(DESCRIBE)
        .execute(Tuple.tuple().addValue(transactionalIds.toArray(new String[0]))).map(rows -> {
          Map<String, TransactionDescription> described = new LinkedHashMap<>();
          for (Row row : rows) {
            String id = row.getString("transactional_id");
            TransactionDescription description = described.computeIfAbsent(id, key -> new TransactionDescription(
                key, row.getLong("producer_id"), row.getShort("producer_epoch"), TxnState.of(row.getString("state")),
                row.getInteger("timeout_ms"), row.getLong("started_ms"), new LinkedHashMap<>()));
            String topic = row.getString("topic");
            if (topic != null) {
              description.partitions().computeIfAbsent(topic, key -> new ArrayList<>())
                  .add(row.getInteger("kafka_partition"));
            }
          }
          return described;
        });
  }

  /**
   * Transactional ids in any of {@code states} (Kafka's names; empty: any), of any of {@code producerIds} (empty:
   * any), whose transaction started at least {@code minDurationMs} ago (negative: any).
   */
  public Future<List<TransactionListing>> list(Collection<String> states, Collection<Long> producerIds,
      long minDurationMs) {
    Tuple params = Tuple.tuple().addValue(states.toArray(new String[0])).addValue(producerIds.toArray(new Long[0]))
        .addValue(minDurationMs);
    return database.pool().preparedQuery(LIST).execute(params).map(rows -> {
      List<TransactionListing> listed = new ArrayList<>(rows.size());
      rows.forEach(row -> listed.add(new TransactionListing(row.getString("transactional_id"),
          row.getLong("producer_id"), TxnState.of(row.getString("state")))));
      return listed;
    });
  }

  /**
   * The producers that wrote to each of {@code logs} within {@code producer.id.expiration.ms}: those Kafka still
   * keeps (retention deletes older states, but only once per cycle).
   */
  public Future<List<ActiveProducer>> producers(List<TxnPartition> logs) {
    Tuple params = Tuple.tuple().addValue(logs.stream().map(TxnPartition::queueId).toArray(UUID[]::new))
        .addValue(logs.stream().map(TxnPartition::kafkaPartition).toArray(Integer[]::new))
        .addValue(producerIdExpirationMs);
    return database.pool().preparedQuery(PRODUCERS).execute(params).map(rows -> {
      List<ActiveProducer> producers = new ArrayList<>(rows.size());
      rows.forEach(row -> producers.add(new ActiveProducer(
          new TxnPartition(row.getUUID("queue_id"), row.getInteger("kafka_partition")), row.getLong("producer_id"),
          row.getShort("producer_epoch"), row.getInteger("last_sequence"), row.getLong("last_ms"))));
      return producers;
    });
  }
}
