package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.client.BlockingQueenClient;
import dev.queenj.client.Message;
import dev.queenj.client.PopRequest;
import dev.queenj.client.QueenException;
import dev.queenj.core.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the stream tests read back from a real broker: source messages as stored, sink contents, state keys. */
final class StreamChecks {
  static final Duration WAIT = Duration.ofSeconds(20);

  private StreamChecks() {
  }

  /** A fresh queue or query name. */
  static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The source's messages as stored (createdAt included), read through a group of the tests' own. */
  static List<Message> readBack(BlockingQueenClient queen, String source, int count) {
    List<Message> stored = new ArrayList<>();
    PopRequest all = PopRequest.from(source).group("check").batch(1000).partitions(10).autoAck(true);
    Eventually.until(WAIT, () -> {
      stored.addAll(queen.pop(all).messages());
      return stored.size() >= count;
    }, () -> stored.size() + " of " + count + " source messages read back");
    return stored;
  }

  /** Adds what the sink holds now (each payload with its partition) to {@code into}; its size. */
  static int drain(BlockingQueenClient queen, String sink, List<JsonNode> into) {
    PopRequest pop = PopRequest.from(sink).group("check").batch(1000).partitions(10).autoAck(true);
    try {
      queen.pop(pop).messages().forEach(m -> into.add(((ObjectNode) m.data().deepCopy())
          .put("partition", m.partition())));
    } catch (QueenException.BadRequest noSinkYet) {
      // the sink queue appears with the first cycle that pushes to it
    }
    return into.size();
  }

  /**
   * A window's aggregate with its key and bounds, as a Queen user adds them with {@code .map((agg, ctx) => ...)}:
   * the sink gets the aggregate alone otherwise.
   */
  static ObjectNode described(JsonNode aggregate, EmitContext ctx) {
    ObjectNode described = StreamJson.object().put("key", ctx.key()).put("windowStart", ctx.windowStart())
        .put("windowEnd", ctx.windowEnd());
    return described.set("value", aggregate);
  }

  /** The keys of a query's state rows for one source partition. */
  static List<String> stateKeys(BlockingQueenClient queen, String queryId, String partitionId) {
    List<String> keys = new ArrayList<>();
    queen.call("POST", "/streams/v1/state/get", StreamJson.object().put("query_id", queryId)
        .put("partition_id", partitionId)).path("rows").forEach(row -> keys.add(row.get("key").asText()));
    return keys;
  }
}
