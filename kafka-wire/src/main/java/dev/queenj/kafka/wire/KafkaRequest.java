package dev.queenj.kafka.wire;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A request read by kafka-clients' own classes: the header, the body as the API's generated message, and the frame
 * both were read from. The body is read in place from the frame's memory (record batches stay slices of it), so the
 * frame stays retained until {@link #release()}, after the request was answered.
 */
record KafkaRequest(RequestHeader header, ApiMessage body, ByteBuf frame) {
  /** api key and api version, the two int16 every request header starts with */
  private static final int KEY_AND_VERSION_BYTES = 2 * Short.BYTES;
  private static final short PRODUCE_V3 = 3;
  private static final short NULL_STRING_LENGTH = -1;

  /** Reads a frame; on success the request holds one more reference to it. */
  static KafkaRequest parse(ByteBuf frame) throws MalformedRequestException {
    if (frame.readableBytes() < KEY_AND_VERSION_BYTES) {
      throw new MalformedRequestException("a frame of " + frame.readableBytes() + " bytes holds no request header");
    }
    short key = frame.getShort(frame.readerIndex());
    if (!ApiKeys.hasId(key)) {
      throw new MalformedRequestException("unknown api key " + key);
    }
    ByteBuffer buffer = frame.nioBuffer();
    RequestHeader header;
    try {
      header = RequestHeader.parse(buffer);
    } catch (RuntimeException e) {
      throw new MalformedRequestException("unreadable request header: " + e.getMessage());
    }
    ApiKeys api = header.apiKey();
    short version = header.apiVersion();
    ApiMessage body;
    if (api.isVersionSupported(version)) {
      body = ApiMessageType.fromApiKey(key).newRequest();
      try {
        body.read(new ByteBufferAccessor(buffer), version);
      } catch (RuntimeException e) {
        throw new MalformedRequestException(api.name + " v" + version + " body does not parse: " + e);
      }
    } else if (api == ApiKeys.PRODUCE && version >= 0 && version < PRODUCE_V3) {
      body = oldProduce(buffer, version);
    } else if (api == ApiKeys.API_VERSIONS) {
      // A client newer than kafka-clients: its body cannot be read, and the answer (our range, in v0) needs nothing
      // from it. Kafka brokers do the same.
      body = new ApiVersionsRequestData();
    } else {
      throw new MalformedRequestException(api.name + " v" + version + " is a version nobody advertised");
    }
    frame.retain();
    return new KafkaRequest(header, body, frame);
  }

  /**
   * A Produce v0–2 body, read only to be refused with UNSUPPORTED_VERSION (advertised for librdkafka's sake,
   * spec §1). kafka-clients 4 no longer reads these versions, but their bodies are v3's without the leading transactional id,
   * so they are read as v3 behind a null one.
   */
  private static ApiMessage oldProduce(ByteBuffer buffer, short version) throws MalformedRequestException {
    ByteBuffer asV3 = ByteBuffer.allocate(Short.BYTES + buffer.remaining());
    asV3.putShort(NULL_STRING_LENGTH).put(buffer).flip();
    ProduceRequestData body = new ProduceRequestData();
    try {
      body.read(new ByteBufferAccessor(asV3), PRODUCE_V3);
    } catch (RuntimeException e) {
      throw new MalformedRequestException("Produce v" + version + " body does not parse: " + e);
    }
    return body;
  }

  void release() {
    frame.release();
  }
}
