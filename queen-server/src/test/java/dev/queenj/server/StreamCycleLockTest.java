package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.storage.Database;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.server.TestServer.Reply;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cycle's (query id, partition id) lock (queen-streams.md §1 Concurrency, §2.3 step 1): a test connection takes
 * the same transaction-scoped advisory lock, as a concurrent cycle's transaction would hold it; a cycle for that
 * (query, partition) then waits in Postgres and commits only after release, while a cycle for another partition of
 * the same query commits at once.
 */
@ExtendWith(RunningServer.class)
class StreamCycleLockTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** The key cycle_begin.sql locks; the test holds it like a cycle in flight. */
  private static final String LOCK =
      "SELECT pg_advisory_xact_lock(hashtextextended('queen_streams/' || $1 || '/' || $2, 0))";
  private static final String WAITERS = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
      + "AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('queen_streams/' || $1 || '/' || $2, 0)";
  private final TestServer server;
  private final Api api;
  private Vertx vertx;
  private Database database;

  StreamCycleLockTest(TestServer server, Api api) {
    this.server = server;
    this.api = api;
  }

  @BeforeEach
  void connect() {
    vertx = Vertx.vertx();
    database = TestPostgres.database(vertx, 2);
  }

  @AfterEach
  void disconnect() {
    TestPostgres.await(database.close());
    TestPostgres.await(vertx.close());
  }

  @Test
  void aCycleWaitsForTheLockOfItsQueryAndPartitionWhileOtherPartitionsCommit() throws Exception {
    String queryId = register();
    String held = api.push("src", "held", "m1");
    String free = api.push("src", "free", "m1");
    SqlConnection connection = TestPostgres.await(database.pool().getConnection());
    try {
      Transaction transaction = TestPostgres.await(connection.begin());
      TestPostgres.await(connection.preparedQuery(LOCK).execute(Tuple.of(queryId, held)));

      CompletableFuture<Reply> blocked = server.postAsync("/streams/v1/cycle", upsert(queryId, held, "n", 1));
      Eventually.until(WAIT, () -> waiters(queryId, held) == 1, () -> "the cycle never waited for the lock: "
          + (blocked.isDone() ? "it answered " + blocked.join().body() : "still running"));
      assertThat(blocked).as("the cycle of the held (query, partition) waits").isNotDone();

      Reply other = server.post("/streams/v1/cycle", upsert(queryId, free, "n", 2));
      assertThat(other.body().get("success").asBoolean()).as("%s", other.body()).isTrue();
      assertThat(stateValue(queryId, free, "n")).isEqualTo(2);
      assertThat(stateValue(queryId, held, "n")).as("nothing of the waiting cycle is visible").isNull();
      assertThat(blocked).isNotDone();

      TestPostgres.await(transaction.commit());
      Reply released = blocked.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(released.body().get("success").asBoolean()).as("%s", released.body()).isTrue();
      assertThat(stateValue(queryId, held, "n")).isEqualTo(1);
    } finally {
      TestPostgres.await(connection.close());
    }
  }

  @Test
  void twoCyclesOfOnePartitionCommitOneAfterTheOtherInTheOrderTheyTookTheLock() throws Exception {
    String queryId = register();
    String partition = api.push("src", "p", "m1");
    SqlConnection connection = TestPostgres.await(database.pool().getConnection());
    try {
      Transaction transaction = TestPostgres.await(connection.begin());
      TestPostgres.await(connection.preparedQuery(LOCK).execute(Tuple.of(queryId, partition)));
      CompletableFuture<Reply> first = server.postAsync("/streams/v1/cycle", upsert(queryId, partition, "k", 1));
      Eventually.until(WAIT, () -> waiters(queryId, partition) == 1, () -> "first cycle waiting");
      CompletableFuture<Reply> second = server.postAsync("/streams/v1/cycle", upsert(queryId, partition, "k", 2));
      Eventually.until(WAIT, () -> waiters(queryId, partition) == 2, () -> "second cycle waiting");
      assertThat(first).isNotDone();
      assertThat(second).isNotDone();
      TestPostgres.await(transaction.commit());
      assertThat(first.get(10, TimeUnit.SECONDS).body().get("success").asBoolean()).isTrue();
      assertThat(second.get(10, TimeUnit.SECONDS).body().get("success").asBoolean()).isTrue();
      // Postgres grants a contended lock in request order: the later cycle's write is the one that stays
      assertThat(stateValue(queryId, partition, "k")).isEqualTo(2);
    } finally {
      TestPostgres.await(connection.close());
    }
  }

  private long waiters(String queryId, String partitionId) {
    return TestPostgres.await(database.pool().preparedQuery(WAITERS).execute(Tuple.of(queryId, partitionId)))
        .iterator().next().getLong(0);
  }

  private String register() {
    Reply reply = server.post("/streams/v1/queries",
        "{\"name\":\"locked\",\"source_queue\":\"src\",\"config_hash\":\"h\"}");
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
    return reply.body().get("query_id").asText();
  }

  private static String upsert(String queryId, String partitionId, String key, int value) {
    ObjectNode body = MAPPER.createObjectNode().put("query_id", queryId).put("partition_id", partitionId);
    body.putArray("state_ops").addObject().put("type", "upsert").put("key", key).put("value", value);
    return body.toString();
  }

  private Integer stateValue(String queryId, String partitionId, String key) {
    ObjectNode read = MAPPER.createObjectNode().put("query_id", queryId).put("partition_id", partitionId);
    read.putArray("keys").add(key);
    JsonNode rows = server.post("/streams/v1/state/get", read).body().get("rows");
    return rows.isEmpty() ? null : rows.get(0).get("value").asInt();
  }
}
