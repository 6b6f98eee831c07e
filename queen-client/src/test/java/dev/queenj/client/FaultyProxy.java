package dev.queenj.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server on 127.0.0.1 in front of a real broker that fails requests as scripted (one {@link Fault} per
 * request, in order), then proxies every later request. It counts the requests it received.
 */
final class FaultyProxy implements AutoCloseable {
  /** What the proxy does with one request. */
  sealed interface Fault {
  }

  /** Answers {@code status} without forwarding. */
  record Answer(int status) implements Fault {
  }

  /** Forwards the request (the broker applies it), then answers {@code status} instead of the broker's answer. */
  record LoseAnswer(int status) implements Fault {
  }

  /** Closes the connection without an answer (a transport error). */
  record Drop() implements Fault {
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String target;
  private final ConcurrentLinkedQueue<Fault> script;
  private final AtomicInteger requests = new AtomicInteger();

  private FaultyProxy(String target, List<Fault> faults) {
    this.target = target;
    this.script = new ConcurrentLinkedQueue<>(faults);
    try {
      this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  static FaultyProxy inFrontOf(String target, Fault... faults) {
    return new FaultyProxy(target, List.of(faults));
  }

  /** {@code times} times the same fault. */
  static Fault[] times(int times, Fault fault) {
    Fault[] faults = new Fault[times];
    java.util.Arrays.fill(faults, fault);
    return faults;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int requests() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    byte[] body = exchange.getRequestBody().readAllBytes();
    Fault fault = script.poll();
    if (fault instanceof Drop) {
      exchange.close();
      return;
    }
    if (fault instanceof Answer answer) {
      reply(exchange, answer.status(), "{\"error\":\"scripted " + answer.status() + "\"}");
      return;
    }
    HttpResponse<String> forwarded = forward(exchange, body);
    if (fault instanceof LoseAnswer lost) {
      reply(exchange, lost.status(), "{\"error\":\"answer lost after the broker applied the request\"}");
    } else {
      reply(exchange, forwarded.statusCode(), forwarded.body());
    }
  }

  private HttpResponse<String> forward(HttpExchange exchange, byte[] body) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
        .timeout(Duration.ofSeconds(30))
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null) {
      request.header("Content-Type", type);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
