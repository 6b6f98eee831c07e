package dev.queenj.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.queenj.core.error.InvalidRequestException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/** JSON reading and writing with the conventions of the API (spec §2): one mapper, typed field access, ISO times. */
public final class Json {
  /** Trailing tokens fail: {@code {"queue":"q"} junk} is not JSON, and half-understood input must change nothing. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Json() {}

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** The request body as a JSON object; 400 when it is empty, not JSON, or not an object. */
  public static ObjectNode bodyObject(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw new InvalidRequestException("Request body is required");
    }
    return parseObject(body);
  }

  /** For routes whose body is optional: an empty body is an empty object, anything else must be a JSON object. */
  public static ObjectNode optionalBodyObject(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    return body == null || body.length() == 0 ? object() : parseObject(body);
  }

  private static ObjectNode parseObject(Buffer body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body.getBytes());
    } catch (IOException e) {
      throw new InvalidRequestException("Invalid JSON body");
    }
    // only whitespace: Jackson answers a missing node rather than failing
    if (node == null || node.isMissingNode()) {
      throw new InvalidRequestException("Request body is required");
    }
    if (!node.isObject()) {
      throw new InvalidRequestException("Request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** An optional string field: null when absent or JSON null, 400 when present with another type. */
  public static String optionalString(JsonNode parent, String field, String error) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidRequestException(error);
    }
    return node.textValue();
  }

  public static String optionalString(JsonNode parent, String field) {
    return optionalString(parent, field, field + " must be a string");
  }

  public static String requiredString(JsonNode parent, String field, String error) {
    String value = optionalString(parent, field, error);
    if (value == null || value.isEmpty()) {
      throw new InvalidRequestException(error);
    }
    return value;
  }

  public static UUID optionalUuid(JsonNode parent, String field) {
    String text = optionalString(parent, field);
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(field + " must be a UUID");
    }
  }

  public static OffsetDateTime parseTime(String text, String field) {
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(field + " must be an ISO-8601 timestamp, got '" + text + "'");
    }
  }

  public static String time(OffsetDateTime time) {
    return time == null ? null : ISO_MILLIS.format(time);
  }

  /** Stored JSON payload bytes as a value in the output, without parsing them again. */
  public static JsonNode raw(byte[] json) {
    if (json == null) {
      return NODES.nullNode();
    }
    return NODES.rawValueNode(new RawValue(new String(json, StandardCharsets.UTF_8)));
  }

  /**
   * A Kafka record's value (or any stored value that may not be JSON, such as a dead letter's) as a message's
   * {@code data}, decided here when it is read so producing never parses:
   * the value itself when it is JSON text (the usual case, and what a native push stores); otherwise a JSON string —
   * the text when the value is valid UTF-8, else the standard base64 (with padding) of its bytes. A null value
   * (tombstone) is null, an empty one the empty string.
   */
  public static JsonNode kafkaValue(byte[] value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value.length == 0) {
      return NODES.textNode("");
    }
    try {
      JsonNode parsed = MAPPER.readTree(value);
      if (parsed != null && !parsed.isMissingNode()) {
        return parsed;
      }
    } catch (IOException notJson) {
      // not JSON: a string below
    }
    try {
      return NODES.textNode(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString());
    } catch (CharacterCodingException notText) {
      return NODES.textNode(Base64.getEncoder().encodeToString(value));
    }
  }

  /**
   * A stored value that may not be JSON (a dead letter's payload: a Kafka producer may have written anything) as a
   * native push stores it: the same bytes when they are JSON text, else the JSON string {@link #kafkaValue} shows them
   * as, so that pops answer valid JSON and the data the dead-letter listing showed. Null stays null.
   */
  public static byte[] nativePayload(byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      JsonNode parsed = MAPPER.readTree(value);
      if (parsed != null && !parsed.isMissingNode()) {
        return value; // not re-serialized: a number or a layout must come back exactly as it was pushed
      }
    } catch (IOException notJson) {
      // a string below
    }
    return bytes(kafkaValue(value));
  }

  /** A JSON value as the bytes to store. */
  public static byte[] bytes(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a parsed JSON tree", e);
    }
  }

  public static Buffer encode(JsonNode value) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a response", e);
    }
  }
}
