package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The streams package's Jackson mapper: user results become JSON trees, as the wire needs them. */
final class StreamJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private StreamJson() {
  }

  static JsonNode tree(Object value) {
    return value instanceof JsonNode node ? node : MAPPER.valueToTree(value);
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A number as JavaScript's JSON writes it, as Queen's JS SDK stores it: a whole value without a fraction. */
  static JsonNode number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 0x1p53 ? LongNode.valueOf((long) value)
        : DoubleNode.valueOf(value);
  }

  static ObjectNode op(String name) {
    return object().put("kind", name);
  }
}
