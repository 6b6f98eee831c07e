package dev.queenj.core.push;

import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idempotent producers' states as this instance last stored or read them, so that deciding a batch costs no round
 * trip. A cached state may be stale (another instance, or a racing retry, stored a batch since): the append that
 * stores a batch also checks that the stored state is still the one the batch was decided on, and fails otherwise;
 * the batch is then decided again on {@linkplain #get fresh} states. Bounded: past {@link #MAX_ENTRIES} it starts
 * over, which costs one read per producer and log.
 */
final class ProducerStates {
  static final int MAX_ENTRIES = 100_000;
  private static final String SELECT = Sql.load(ProducerStates.class, "producer_state_select.sql");

  /** One producer in one log. */
  record Scope(long producerId, UUID queueId, int kafkaPartition) {}

  /** A state as known, {@code state} null when the producer has none in that log. */
  private record Known(ProducerState state) {}

  private final ConcurrentHashMap<Scope, Known> known = new ConcurrentHashMap<>();

  /**
   * The states of {@code scopes} (a missing key's value is null: no state); from the cache where known unless
   * {@code fresh}, else read in one round trip.
   */
  Future<Map<Scope, ProducerState>> get(SqlClient client, Collection<Scope> scopes, boolean fresh) {
    Map<Scope, ProducerState> states = new HashMap<>();
    List<Scope> missing = new ArrayList<>();
    for (Scope scope : scopes) {
      Known cached = fresh ? null : known.get(scope);
      if (cached == null) {
        missing.add(scope);
      } else {
        states.put(scope, cached.state());
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture(states);
    }
    Long[] producers = new Long[missing.size()];
    UUID[] queues = new UUID[missing.size()];
    Integer[] partitions = new Integer[missing.size()];
    for (int i = 0; i < producers.length; i++) {
      producers[i] = missing.get(i).producerId();
      queues[i] = missing.get(i).queueId();
      partitions[i] = missing.get(i).kafkaPartition();
    }
    return client.preparedQuery(SELECT).execute(Tuple.of(producers, queues, partitions)).map(rows -> {
      missing.forEach(scope -> states.put(scope, null));
      for (Row row : rows) {
        Scope scope = new Scope(row.getLong("producer_id"), row.getUUID("queue_id"), row.getInteger("kafka_partition"));
        states.put(scope, ProducerState.of(row));
      }
      missing.forEach(scope -> remember(scope, states.get(scope)));
      return states;
    });
  }

  /** Remembers a state that was just stored (or read). */
  void remember(Scope scope, ProducerState state) {
    if (known.size() >= MAX_ENTRIES) {
      known.clear();
    }
    known.put(scope, new Known(state));
  }

  void forget(Collection<Scope> scopes) {
    scopes.forEach(known::remove);
  }
}
