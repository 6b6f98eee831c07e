package dev.queenj.kafka.testing;

import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Request frames and response parsing done by kafka-clients' own serialization classes, exactly as a Java client
 * would, plus raw frames for what no client would send (versions from the future, corrupt bodies).
 */
public final class KafkaFrames {
  public static final String CLIENT_ID = "queen-test";

  private KafkaFrames() {}

  public static RequestHeader header(ApiKeys api, int version, int correlationId) {
    return new RequestHeader(api, (short) version, CLIENT_ID, correlationId);
  }

  /** A size-prefixed frame holding {@code header} and {@code request}. */
  public static ByteBuffer frame(RequestHeader header, AbstractRequest request) {
    return sized(request.serializeWithHeader(header));
  }

  /** A size-prefixed frame holding {@code header} followed by {@code body} as given. */
  public static ByteBuffer frame(RequestHeader header, byte[] body) {
    ObjectSerializationCache cache = new ObjectSerializationCache();
    int headerSize = header.data().size(cache, header.headerVersion());
    ByteBuffer content = ByteBuffer.allocate(headerSize + body.length);
    header.data().write(new ByteBufferAccessor(content), cache, header.headerVersion());
    content.put(body).flip();
    return sized(content);
  }

  /** Just the body bytes of {@code request} at its version. */
  public static byte[] body(AbstractRequest request) {
    ByteBuffer body = request.serialize().buffer();
    byte[] bytes = new byte[body.remaining()];
    body.get(bytes);
    return bytes;
  }

  public static ByteBuffer sized(ByteBuffer content) {
    ByteBuffer frame = ByteBuffer.allocate(Integer.BYTES + content.remaining());
    frame.putInt(content.remaining()).put(content).flip();
    return frame;
  }

  public static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  /** Parses a response (a frame without its size) to {@code request} as the Java client does. */
  @SuppressWarnings("unchecked")
  public static <R extends AbstractResponse> R response(ByteBuffer content, RequestHeader request) {
    return (R) AbstractResponse.parseResponse(content, request);
  }

  /**
   * Parses a response to {@code request} written at {@code version} rather than the request's (the v0 answer to an
   * ApiVersions request we do not serve); checks the correlation id.
   */
  @SuppressWarnings("unchecked")
  public static <R extends AbstractResponse> R response(ByteBuffer content, RequestHeader request, short version) {
    ResponseHeader header = ResponseHeader.parse(content, request.apiKey().responseHeaderVersion(version));
    if (header.correlationId() != request.correlationId()) {
      throw new AssertionError("correlation id " + header.correlationId() + ", expected " + request.correlationId());
    }
    return (R) AbstractResponse.parseResponse(request.apiKey(), new ByteBufferAccessor(content), version);
  }
}
