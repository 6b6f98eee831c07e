package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One stateless operator of a chain; {@code null} from {@link #apply} drops the record. */
interface Stage {
  Keyed apply(Keyed record);

  /** The operator's shape for the config hash (its kind and parameters, never the user's code). */
  ObjectNode shape();

  /** A value with the key it is grouped by (the source partition's name until {@code keyBy}). */
  record Keyed(String key, JsonNode value) {
  }
}
