package dev.queenj.http.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.http.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.UUID;

/** Request bodies of {@code /streams/v1} with the error texts of Queen's streams spec (§2): each a 400. */
final class StreamBody {
  private StreamBody() {}

  static ObjectNode object(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw new InvalidRequestException("Empty request body");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body.getBytes());
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("Invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidRequestException("Invalid JSON: " + e.getMessage());
    }
    if (node == null || node.isMissingNode()) {
      throw new InvalidRequestException("Empty request body");
    }
    if (!node.isObject()) {
      throw new InvalidRequestException("request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** A required non-empty string: missing, of another type or empty is {@code "<field> is required"}. */
  static String required(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
      throw new InvalidRequestException(field + " is required");
    }
    return node.textValue();
  }

  /** An optional string: null when absent, JSON null or empty. */
  static String optional(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidRequestException(field + " must be a string");
    }
    return node.textValue().isEmpty() ? null : node.textValue();
  }

  /** An optional boolean; {@code strings} also takes "true"/"false" (Queen casts them). */
  static boolean bool(JsonNode parent, String field, boolean absent, boolean strings) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return absent;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (strings && node.isTextual() && (node.textValue().equals("true") || node.textValue().equals("false"))) {
      return Boolean.parseBoolean(node.textValue());
    }
    throw new InvalidRequestException(field + " must be a boolean");
  }

  /** A UUID, or null when the text is not one. */
  static UUID uuidOrNull(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
