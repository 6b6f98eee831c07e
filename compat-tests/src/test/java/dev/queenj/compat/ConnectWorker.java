package dev.queenj.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;

/**
 * A Kafka Connect worker in distributed mode, in the test JVM, built by Connect's own command-line class
 * ({@link ConnectDistributed#startConnect}) from a worker config as a {@code connect-distributed.properties} file holds
 * it. Its REST API listens on an ephemeral loopback port and is driven over HTTP as operators drive it; connectors come
 * from the classpath through their service files.
 */
final class ConnectWorker implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final long STOP_TIMEOUT_MS = 60_000;

  private final ExitTrap exitTrap;
  private final Connect<DistributedHerder> connect;
  private final URI rest;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

  private ConnectWorker(ExitTrap exitTrap, Connect<DistributedHerder> connect) {
    this.exitTrap = exitTrap;
    this.connect = connect;
    this.rest = connect.rest().serverUrl();
  }

  /** Starts a worker with {@code config} plus a loopback REST listener on a free port. */
  static ConnectWorker start(Map<String, String> config) {
    Map<String, String> props = new HashMap<>(config);
    props.put("listeners", "http://127.0.0.1:0");
    props.put("plugin.discovery", "service_load");
    ExitTrap exitTrap = ExitTrap.install("the Connect worker");
    try {
      return new ConnectWorker(exitTrap, new ConnectDistributed().startConnect(props));
    } catch (RuntimeException e) {
      try {
        exitTrap.close();
      } catch (IllegalStateException exited) {
        e.addSuppressed(exited);
      }
      throw e;
    }
  }

  /** Creates or updates connector {@code name} (PUT /connectors/{name}/config). */
  void putConnector(String name, Map<String, String> config) throws IOException, InterruptedException {
    HttpResponse<String> answer = send(HttpRequest.newBuilder(rest.resolve("/connectors/" + name + "/config"))
        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
        .header("Content-Type", "application/json"));
    if (answer.statusCode() != 200 && answer.statusCode() != 201) {
      throw new IllegalStateException("PUT connector " + name + ": " + answer.statusCode() + " " + answer.body());
    }
  }

  /** Whether connector {@code name} and all its {@code tasks} tasks report RUNNING (GET /connectors/{name}/status). */
  boolean running(String name, int tasks) {
    try {
      HttpResponse<String> answer = send(HttpRequest.newBuilder(rest.resolve("/connectors/" + name + "/status")));
      if (answer.statusCode() != 200) {
        return false;
      }
      JsonNode status = JSON.readTree(answer.body());
      int runningTasks = 0;
      for (JsonNode task : status.path("tasks")) {
        runningTasks += "RUNNING".equals(task.path("state").asText()) ? 1 : 0;
      }
      return "RUNNING".equals(status.path("connector").path("state").asText()) && runningTasks == tasks;
    } catch (IOException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Stops the worker as its shutdown hook would: tasks stop and commit their offsets, the worker leaves its group. */
  @Override
  public void close() {
    CompletableFuture<Void> stopped = CompletableFuture.runAsync(connect::stop);
    try (exitTrap) {
      stopped.get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the Connect worker did not stop within " + STOP_TIMEOUT_MS + " ms", e);
    }
  }
}
