package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One stateless operator of a chain: each record becomes zero or more records (an empty list drops it). */
interface Stage {
  List<Keyed> apply(Keyed record);

  /**
   * The operator as Queen's SDKs describe it for the config hash ({@link ConfigHash}): {@code {"kind":...}}, then
   * its structural configuration, never the user's code.
   */
  ObjectNode shape();

  /** A value with the key it is grouped by (the source partition's id until {@code keyBy}, as in Queen's SDKs). */
  record Keyed(String key, JsonNode value) {
  }
}
