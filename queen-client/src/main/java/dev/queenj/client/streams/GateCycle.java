package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.client.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gated stream's cycle (spec §3 item 3, as Queen's JS SDK): the messages, in order, are evaluated until the first
 * denied record. A message is allowed when every record the stages before the gate made of it is (none at all
 * counts as allowed); its records' state changes are kept only then. The cycle upserts the state of every key an
 * allowed record touched (one object per key, stored under the key itself), pushes the allowed results, and acks
 * the last allowed message with the number allowed, keeping the lease when something was denied.
 */
final class GateCycle {
  private GateCycle() {
  }

  /** Null when the first message is denied: no cycle, the lease runs out and the batch comes back. */
  static ObjectNode build(Stream stream, String queryId, List<Message> messages, Map<String, JsonNode> state,
      long nowMs) {
    Map<String, ObjectNode> kept = new LinkedHashMap<>();
    List<Stage.Keyed> allowed = new ArrayList<>();
    Message lastAllowed = null;
    int count = 0;
    for (Message message : messages) {
      Map<String, ObjectNode> trial = new HashMap<>();
      List<Stage.Keyed> passed = new ArrayList<>();
      boolean allow = true;
      for (Stage.Keyed record : PartitionCycle.through(stream.before(), PartitionCycle.source(message), null)) {
        ObjectNode keyState = trial.computeIfAbsent(record.key(), key -> stored(kept, state, key));
        GateContext context = new GateContext(keyState, nowMs, message.partitionId(), message.partition(),
            record.key());
        if (!stream.gate().allow(record.value(), context)) {
          allow = false;
          break;
        }
        passed.add(record);
      }
      if (!allow) {
        break;
      }
      kept.putAll(trial);
      allowed.addAll(passed);
      lastAllowed = message;
      count++;
    }
    if (lastAllowed == null) {
      return null;
    }
    List<ObjectNode> stateOps = new ArrayList<>();
    kept.forEach((key, value) -> stateOps.add(StreamJson.object().put("type", "upsert").put("key", key)
        .set("value", value)));
    ObjectNode cycle = PartitionCycle.body(stream, queryId, lastAllowed.partitionId(), lastAllowed.consumerGroup(),
        lastAllowed.partition(), stateOps, allowed);
    cycle.set("ack", PartitionCycle.ack(lastAllowed, count));
    return cycle.put("release_lease", count == messages.size());
  }

  /** A copy of the key's object as the allowed records so far left it, else as stored, else empty. */
  private static ObjectNode stored(Map<String, ObjectNode> kept, Map<String, JsonNode> state, String key) {
    JsonNode current = kept.containsKey(key) ? kept.get(key) : state.get(key);
    return current != null && current.isObject() ? ((ObjectNode) current).deepCopy() : StreamJson.object();
  }
}
