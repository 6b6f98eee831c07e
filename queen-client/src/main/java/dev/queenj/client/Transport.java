package dev.queenj.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * JSON requests over the JDK's HttpClient: bearer token, a deadline on every call, retries inside it as the call's
 * {@link Retry} allows, errors as QueenException.
 */
final class Transport implements AutoCloseable {
  private final HttpClient http;
  private final String baseUrl;
  private final Supplier<String> token;
  private final Duration requestTimeout;
  static final int MAX_RETRIES = 3;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

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
    return send(request(path).GET(), serverHold, Retry.SAFE);
  }

  CompletableFuture<JsonNode> post(String path, JsonNode body, Retry retry) {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .header("Content-Type", "application/json"), Duration.ZERO, retry);
  }

  CompletableFuture<JsonNode> delete(String path, Retry retry) {
    return send(request(path).DELETE(), Duration.ZERO, retry);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Accept", "application/json");
    String bearer = token == null ? null : token.get();
    if (bearer != null && !bearer.isEmpty()) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder;
  }

  /**
   * The call's deadline is the client's request timeout plus what the server may hold it (long polls); retries
   * ({@link Retry}) happen inside it, each attempt timing out at the call's deadline.
   */
  private CompletableFuture<JsonNode> send(HttpRequest.Builder request, Duration serverHold, Retry retry) {
    Attempts attempts = new Attempts(request.timeout(requestTimeout.plus(serverHold)).build(), retry,
        System.nanoTime() + requestTimeout.plus(serverHold).toNanos());
    attempts.next();
    // cancelling the answer aborts the exchange, so a cancelled long-poll drops its parked pop on the server
    attempts.answered.whenComplete((body, failure) -> {
      if (attempts.answered.isCancelled()) {
        attempts.cancel();
      }
    });
    return attempts.answered;
  }

  /** One call's attempts: the first, then retries after a backoff while the failure allows and time is left. */
  private final class Attempts {
    private final HttpRequest request;
    private final Retry retry;
    private final long deadlineNanos;
    private final CompletableFuture<JsonNode> answered = new CompletableFuture<>();
    private final AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();
    private int retries;

    Attempts(HttpRequest request, Retry retry, long deadlineNanos) {
      this.request = request;
      this.retry = retry;
      this.deadlineNanos = deadlineNanos;
    }

    void next() {
      if (answered.isDone()) {
        return;
      }
      long left = deadlineNanos - System.nanoTime();
      CompletableFuture<HttpResponse<String>> sent;
      try {
        HttpRequest attempt = retries == 0 ? request : HttpRequest.newBuilder(request, (name, value) -> true)
            .timeout(Duration.ofNanos(Math.max(left, 1_000_000))).build();
        sent = http.sendAsync(attempt, HttpResponse.BodyHandlers.ofString());
      } catch (RuntimeException e) {
        answered.completeExceptionally(new QueenException.Unavailable(e.getMessage(), e));
        return;
      }
      inFlight.set(sent);
      if (answered.isCancelled()) {
        sent.cancel(true);
      }
      sent.whenComplete((response, failure) -> {
        if (failure != null) {
          retryOrFail(unavailable(failure), failure);
          return;
        }
        try {
          answered.complete(answer(response));
        } catch (QueenException e) {
          retryOrFail(e, null);
        }
      });
    }

    private void retryOrFail(QueenException error, Throwable transportFailure) {
      Duration backoff = backoff(retries);
      boolean timeLeft = System.nanoTime() + backoff.toNanos() < deadlineNanos;
      if (retries < MAX_RETRIES && timeLeft && retryable(error, transportFailure) && !answered.isDone()) {
        retries++;
        CompletableFuture.runAsync(this::next, CompletableFuture.delayedExecutor(backoff.toMillis(),
            TimeUnit.MILLISECONDS));
      } else {
        answered.completeExceptionally(error);
      }
    }

    private boolean retryable(QueenException error, Throwable transportFailure) {
      int status = error.status();
      if (status == 0) {
        Throwable cause = transportFailure instanceof CompletionException && transportFailure.getCause() != null
            ? transportFailure.getCause() : transportFailure;
        return retry == Retry.SAFE || cause instanceof ConnectException;
      }
      if (status == 408 || status == 429) {
        return true;
      }
      return retry == Retry.SAFE ? status >= 500 : status == 503;
    }

    void cancel() {
      CompletableFuture<?> sent = inFlight.get();
      if (sent != null) {
        sent.cancel(true);
      }
    }
  }

  /** 100 ms doubling per retry, at most 5 s, with up to half of it taken off at random so clients spread out. */
  static Duration backoff(int retriesDone) {
    long full = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(retriesDone, 16));
    return Duration.ofMillis(full - ThreadLocalRandom.current().nextLong(full / 2 + 1));
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
