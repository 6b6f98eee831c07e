package dev.queenj.core.buffer;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.push.PushItem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The outage buffer's record format: one native push item per record, framed as {@code [length][crc32c][body]}
 * (two big-endian ints, then {@code length} bytes). A crash can leave the last record of a file half-written; its
 * length or checksum then fails and the file is read up to the record before it. That record was never answered
 * (its append is answered only after the fsync), so nothing answered is dropped with it.
 *
 * <p>Body: version byte, queue, partition, transaction id, producer sub (strings as int length + UTF-8, -1 for
 * null), trace id (presence byte + two longs), payload (int length + bytes, -1 for null). Version 2, written when a
 * {@code QUEEN_ENCRYPTION_KEY} is configured, stores every payload sealed ({@link PayloadCipher}) whatever its queue
 * (the queue's setting may be unknown while Postgres is away): the key's id (int) before the sealed payload.
 */
final class BufferRecords {
  private static final byte VERSION = 1;
  private static final byte VERSION_SEALED = 2;
  static final int HEADER_BYTES = 8;
  /** Larger than any request body the server accepts; a larger length can only be a torn or garbled header. */
  private static final int MAX_BODY_BYTES = 512 << 20;

  private BufferRecords() {}

  /** What a file holds: its intact records' bodies in order, and where the intact part ends. */
  record Scan(List<byte[]> bodies, long validBytes, long fileBytes) {
    boolean torn() {
      return validBytes < fileBytes;
    }
  }

  /** The record of a native push; its payload sealed when {@code cipher} has a key. */
  static byte[] frame(PushItem item, PayloadCipher cipher) {
    if (item.kafka() != null) {
      throw new IllegalArgumentException("only native pushes are buffered");
    }
    boolean seal = cipher.enabled() && item.payload() != null;
    byte[] payload = seal ? cipher.seal(item.payload()) : item.payload();
    byte[][] strings = {utf8(item.queue()), utf8(item.partition()), utf8(item.transactionId()),
        utf8(item.producerSub())};
    int body = 1 + 1 + (item.traceId() == null ? 0 : 16) + (seal ? 4 : 0) + 4 + (payload == null ? 0 : payload.length);
    for (byte[] s : strings) {
      body += 4 + (s == null ? 0 : s.length);
    }
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + body);
    out.position(HEADER_BYTES);
    out.put(seal ? VERSION_SEALED : VERSION);
    for (byte[] s : strings) {
      putBytes(out, s);
    }
    out.put((byte) (item.traceId() == null ? 0 : 1));
    if (item.traceId() != null) {
      out.putLong(item.traceId().getMostSignificantBits()).putLong(item.traceId().getLeastSignificantBits());
    }
    if (seal) {
      out.putInt(cipher.keyId());
    }
    putBytes(out, payload);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), HEADER_BYTES, body);
    out.putInt(0, body).putInt(4, (int) crc.getValue());
    return out.array();
  }

  /** The push a record holds, its payload opened with {@code cipher} if it was stored sealed. */
  static PushItem decode(byte[] body, PayloadCipher cipher) {
    ByteBuffer in = ByteBuffer.wrap(body);
    byte version = in.get();
    if (version != VERSION && version != VERSION_SEALED) {
      throw new IllegalStateException("outage buffer record of unknown version " + version);
    }
    String queue = string(in);
    String partition = string(in);
    String transactionId = string(in);
    String producerSub = string(in);
    UUID traceId = in.get() == 0 ? null : new UUID(in.getLong(), in.getLong());
    Integer keyId = version == VERSION_SEALED ? in.getInt() : null;
    byte[] payload = cipher.open(keyId, bytes(in));
    return new PushItem(queue, partition, transactionId, traceId, payload, producerSub);
  }

  /** Reads {@code file}'s intact records, at most {@code limit} of them. */
  static Scan scan(Path file, int limit) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long position = 0;
      List<byte[]> bodies = new ArrayList<>();
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
      while (bodies.size() < limit && size - position >= HEADER_BYTES) {
        header.clear();
        readFully(channel, header, position);
        int length = header.getInt(0);
        int expected = header.getInt(4);
        if (length <= 0 || length > MAX_BODY_BYTES || size - position - HEADER_BYTES < length) {
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(channel, body, position + HEADER_BYTES);
        CRC32C crc = new CRC32C();
        crc.update(body.array(), 0, length);
        if ((int) crc.getValue() != expected) {
          break;
        }
        bodies.add(body.array());
        position += HEADER_BYTES + length;
      }
      return new Scan(bodies, position, size);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
    while (into.hasRemaining()) {
      if (channel.read(into, position + into.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static void putBytes(ByteBuffer out, byte[] bytes) {
    out.putInt(bytes == null ? -1 : bytes.length);
    if (bytes != null) {
      out.put(bytes);
    }
  }

  private static byte[] bytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }

  private static String string(ByteBuffer in) {
    byte[] bytes = bytes(in);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
