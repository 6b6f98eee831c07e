package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One stateless operator of a chain: each record becomes zero or more records (an empty list drops it). */
interface Stage {
  /**
   * {@code context}: null before a window or gate, where Queen's SDKs pass none; after them, the result's partition,
   * key and window ({@link EmitContext}).
   */
  List<Keyed> apply(Keyed record, EmitContext context);

  /**
   * The operator as Queen's SDKs describe it for the config hash ({@link ConfigHash}): {@code {"kind":...}}, then
   * its structural configuration, never the user's code.
   */
  ObjectNode shape();

  /**
   * A value with the key it is grouped by (the source partition's id until {@code keyBy}, as in Queen's SDKs), and
   * for a window's result the window it closed ({@code null} otherwise).
   */
  record Keyed(String key, JsonNode value, Bounds window) {
    Keyed(String key, JsonNode value) {
      this(key, value, null);
    }

    /** The same record, key and window, carrying another value. */
    Keyed with(JsonNode other) {
      return new Keyed(key, other, window);
    }
  }

  /** A closed window's start and end (epoch ms, end exclusive). */
  record Bounds(long start, long end) {
  }
}
