package dev.queenj.kafka.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One raw TCP connection to a Kafka port: sends frames, reads response frames, and tells whether the server closed
 * it. Every read waits at most {@link #TIMEOUT}, so a test never hangs and never sleeps.
 */
public final class KafkaConnection implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private int nextCorrelationId = 1;

  private KafkaConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  public static KafkaConnection open(int port) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      return new KafkaConnection(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RequestHeader header(ApiKeys api, int version) {
    return KafkaFrames.header(api, version, nextCorrelationId++);
  }

  /** Sends {@code request} at its version and answers the parsed response. */
  public <R extends AbstractResponse> R roundTrip(AbstractRequest request) {
    RequestHeader header = header(request.apiKey(), request.version());
    send(KafkaFrames.frame(header, request));
    return KafkaFrames.response(receive(), header);
  }

  public void send(ByteBuffer frame) {
    send(KafkaFrames.bytes(frame));
  }

  public void send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next response frame, without its size prefix. */
  public ByteBuffer receive() {
    try {
      byte[] content = new byte[in.readInt()];
      in.readFully(content);
      return ByteBuffer.wrap(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends what we send (a half-close): the server sees end of stream. */
  public void finishSending() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether the server closed the connection within {@link #TIMEOUT}: end of stream, or a reset when it closed with
   * our bytes still unread. Any byte received instead is an answer, not a close.
   */
  public boolean closedByServer() {
    try {
      return in.read() == -1;
    } catch (EOFException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
