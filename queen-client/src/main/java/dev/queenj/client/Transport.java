package dev.queenj.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** JSON requests over the JDK's HttpClient: bearer token, a deadline on every request, errors as QueenException. */
final class Transport implements AutoCloseable {
  private final HttpClient http;
  private final String baseUrl;
  private final Supplier<String> token;
  private final Duration requestTimeout;

  Transport(HttpClient http, String baseUrl, Supplier<String> token, Duration requestTimeout) {
    this.http = http;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
    this.requestTimeout = requestTimeout;
  }

  Duration requestTimeout() {
    return requestTimeout;
  }

  CompletableFuture<JsonNode> get(String path, Duration serverHold) {
    return send(request(path, serverHold).GET());
  }

  CompletableFuture<JsonNode> post(String path, JsonNode body) {
    return send(request(path, Duration.ZERO).POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .header("Content-Type", "application/json"));
  }

  CompletableFuture<JsonNode> delete(String path) {
    return send(request(path, Duration.ZERO).DELETE());
  }

  /** The request's deadline is the client's request timeout plus what the server may hold it (long polls). */
  private HttpRequest.Builder request(String path, Duration serverHold) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(requestTimeout.plus(serverHold)).header("Accept", "application/json");
    String bearer = token == null ? null : token.get();
    if (bearer != null && !bearer.isEmpty()) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder;
  }

  private CompletableFuture<JsonNode> send(HttpRequest.Builder request) {
    CompletableFuture<HttpResponse<String>> sent;
    try {
      sent = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new QueenException.Unavailable(e.getMessage(), e));
    }
    CompletableFuture<JsonNode> answered = sent.handle((response, failure) -> {
      if (failure != null) {
        throw unavailable(failure);
      }
      return answer(response);
    });
    // cancelling the answer aborts the exchange, so a cancelled long-poll drops its parked pop on the server
    answered.whenComplete((body, failure) -> {
      if (answered.isCancelled()) {
        sent.cancel(true);
      }
    });
    return answered;
  }

  private static JsonNode answer(HttpResponse<String> response) {
    JsonNode body = parse(response.body());
    if (response.statusCode() >= 400) {
      String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : null;
      throw QueenException.of(response.statusCode(), error);
    }
    if (body == null) {
      throw QueenException.of(response.statusCode(), "the server answered no JSON: " + response.body());
    }
    return body;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static QueenException unavailable(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof QueenException queen) {
      return queen;
    }
    String what = cause instanceof HttpTimeoutException ? "no answer before the deadline"
        : cause instanceof IOException ? "cannot reach the server" : "request failed";
    return new QueenException.Unavailable(what + ": " + cause, cause);
  }

  @Override
  public void close() {
    // Java 17's HttpClient has no close(); its threads end once it is unreachable. Nothing else is held.
  }
}
