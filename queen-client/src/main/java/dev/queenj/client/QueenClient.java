package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client of Queen's native HTTP API ({@code /api/v1}). Every call is non-blocking and returns a
 * {@link CompletionStage} that fails with a {@link QueenException} (in a {@code CompletionException}) when the
 * server refuses the call or does not answer before the call's deadline (the request timeout, plus the wait of a
 * long-poll). {@link #blocking()} is the same API waiting for the answers. Thread-safe; one per application.
 *
 * <pre>{@code
 * try (QueenClient queen = QueenClient.builder("http://localhost:6632").build()) {
 *   queen.blocking().push(PushItem.of("orders", Map.of("id", 1)));
 * }
 * }</pre>
 */
public final class QueenClient implements AutoCloseable {
  private static final String API = "/api/v1";
  private static final Duration DEFAULT_CONSUMER_WAIT = Duration.ofSeconds(30);

  private final Transport transport;
  private final ScheduledExecutorService scheduler;
  private final Duration maxLeaseRenewal;
  private final BlockingQueenClient blocking;
  private final List<QueueConsumer> consumers = new ArrayList<>();

  private QueenClient(Builder builder) {
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(builder.connectTimeout)
        .version(HttpClient.Version.HTTP_1_1);
    if (builder.executor != null) {
      http.executor(builder.executor);
    }
    this.transport = new Transport(http.build(), builder.baseUrl, builder.token, builder.requestTimeout);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "queen-client-lease-renewal");
      thread.setDaemon(true);
      return thread;
    });
    this.maxLeaseRenewal = builder.maxLeaseRenewal;
    this.blocking = new BlockingQueenClient(this, builder.requestTimeout);
  }

  /** {@code baseUrl} is the server's root, e.g. {@code http://localhost:6632} (the API's {@code /api/v1} is added). */
  public static Builder builder(String baseUrl) {
    return new Builder(baseUrl);
  }

  /** The same calls, each waiting for its answer (at most the call's deadline). */
  public BlockingQueenClient blocking() {
    return blocking;
  }

  /** Pushes items in one request; the results are in request order. */
  public CompletionStage<List<PushResult>> push(List<PushItem> items) {
    ObjectNode body = Json.object();
    ArrayNode array = body.putArray("items");
    items.forEach(item -> array.add(item.toJson()));
    return transport.post(API + "/push", body, Retry.SAFE).thenApply(list(PushResult::of));
  }

  public CompletionStage<PushResult> push(PushItem item) {
    return push(List.of(item)).thenApply(results -> results.get(0));
  }

  /** Pops; with {@link PopRequest#waitFor} the server holds the call until messages arrive or the wait passes. */
  public CompletionStage<PopResult> pop(PopRequest request) {
    CompletableFuture<JsonNode> answer = transport.get(request.path(), hold(request));
    CompletableFuture<PopResult> popped = answer.thenApply(PopResult::of);
    // cancelling the pop aborts its exchange, so the server drops the parked pop instead of leasing to nobody
    popped.whenComplete((result, failure) -> {
      if (popped.isCancelled()) {
        answer.cancel(true);
      }
    });
    return popped;
  }

  public CompletionStage<AckResult> ack(Ack ack) {
    return transport.post(API + "/ack", ack.toJson(), Retry.SAFE).thenApply(list(AckResult::of))
        .thenApply(r -> r.get(0));
  }

  /** Acks several messages in one request; per-item failures are {@code success=false} results. */
  public CompletionStage<List<AckResult>> ack(List<Ack> acks) {
    ObjectNode body = Json.object();
    ArrayNode array = body.putArray("acknowledgments");
    acks.forEach(ack -> array.add(ack.toJson()));
    return transport.post(API + "/ack/batch", body, Retry.SAFE).thenApply(list(AckResult::of));
  }

  /** Extends every partition lease of {@code leaseId} to at least now + {@code by}. */
  public CompletionStage<LeaseExtension> extendLease(String leaseId, Duration by) {
    ObjectNode body = Json.object().put("seconds", Math.max(1, by.toSeconds()));
    return transport.post(API + "/lease/" + PopRequest.encode(leaseId) + "/extend", body, Retry.SAFE)
        .thenApply(list(LeaseExtension::of)).thenApply(r -> r.get(0));
  }

  /**
   * Keeps {@code leaseId} alive while work runs: extends it by {@code extension} now and every half
   * {@code extension}, until {@link LeaseRenewal#close()}, a refused extension, or the client's maximum renewal
   * time (then the lease runs out as usual).
   */
  public LeaseRenewal renewLease(String leaseId, Duration extension) {
    return LeaseRenewal.start(this, scheduler, leaseId, extension, maxLeaseRenewal);
  }

  /** Applies acks and pushes all or nothing; a refused transaction is {@code success=false}, not an exception. */
  public CompletionStage<TransactionResult> transaction(Transaction transaction) {
    return transport.post(API + "/transaction", transaction.toJson(), Retry.SAFE).thenApply(TransactionResult::of);
  }

  /** Creates or reconfigures a queue; every option is overwritten (see {@link QueueOptions}). */
  public CompletionStage<JsonNode> configure(String queue, QueueOptions options) {
    ObjectNode body = Json.object().put("queue", Objects.requireNonNull(queue, "queue"));
    body.set("options", options.toJson());
    return transport.post(API + "/configure", body, Retry.SAFE);
  }

  /** Reads a page of the dead-letter queue. */
  public CompletionStage<DlqPage> deadLetters(DlqQuery query) {
    return transport.get(query.path(), Duration.ZERO).thenApply(DlqPage::of);
  }

  /**
   * Moves a dead letter back: its message is appended again to its queue and partition as a new message (for every
   * group of the queue) and the dead letter is removed, both or neither. Answers the server's reply, whose
   * {@code requeued} names the new message; a dead letter already requeued or discarded fails with status 404.
   */
  public CompletionStage<JsonNode> requeueDeadLetter(DeadLetter dead) {
    return transport.post(deadLetterPath(dead) + "/requeue",
        Json.object().put("consumerGroup", dead.consumerGroup()), Retry.IF_NOT_APPLIED);
  }

  /** Removes a dead letter without requeueing its message; one already gone fails with status 404. */
  public CompletionStage<Void> deleteDeadLetter(DeadLetter dead) {
    return transport.delete(deadLetterPath(dead) + "?consumerGroup=" + PopRequest.encode(dead.consumerGroup()),
        Retry.IF_NOT_APPLIED).thenApply(body -> null);
  }

  private static String deadLetterPath(DeadLetter dead) {
    return API + "/dlq/" + PopRequest.encode(dead.partitionId()) + "/" + PopRequest.encode(dead.transactionId());
  }

  /** Deletes the group's cursors on every queue, and its stored subscription unless {@code keepSubscription}. */
  public CompletionStage<GroupDeletion> deleteConsumerGroup(String group, boolean keepSubscription) {
    return transport.delete(API + "/consumer-groups/" + PopRequest.encode(group)
        + (keepSubscription ? "?deleteMetadata=false" : ""), Retry.SAFE).thenApply(GroupDeletion::of);
  }

  /** Deletes the group's cursors (and subscription) on one queue. */
  public CompletionStage<GroupDeletion> deleteConsumerGroup(String group, String queue) {
    return transport.delete(groupPath(group, queue), Retry.SAFE).thenApply(GroupDeletion::of);
  }

  /** Moves every cursor of the group on {@code queue} past the newest message, releasing leases. */
  public CompletionStage<Void> seekToEnd(String group, String queue) {
    return transport.post(groupPath(group, queue) + "/seek", Json.object().put("toEnd", true), Retry.SAFE)
        .thenApply(body -> null);
  }

  /** Moves every cursor of the group on {@code queue} to the first message created at or after {@code time}. */
  public CompletionStage<Void> seek(String group, String queue, Instant time) {
    return transport.post(groupPath(group, queue) + "/seek", Json.object().put("timestamp", time.toString()),
        Retry.SAFE)
        .thenApply(body -> null);
  }

  /** Sets where the group starts on partitions it has not read yet. */
  public CompletionStage<Void> subscribe(String group, Instant from) {
    return transport.post(API + "/consumer-groups/" + PopRequest.encode(group) + "/subscription",
        Json.object().put("subscriptionTimestamp", from.toString()), Retry.SAFE).thenApply(body -> null);
  }

  /**
   * Any route the typed calls do not cover (resources, traces, messages; the basis of later typed APIs such as
   * streams), with the same token, deadline and error mapping. {@code path} starts at the server root
   * ({@code /api/v1/...}); {@code method} is GET, POST or DELETE; {@code body} is for POST only. A GET is retried
   * as {@link Retry#SAFE}, a POST or DELETE as {@link Retry#IF_NOT_APPLIED}: say otherwise with the overload.
   */
  public CompletionStage<JsonNode> call(String method, String path, JsonNode body) {
    return call(method, path, body, "GET".equals(method) ? Retry.SAFE : Retry.IF_NOT_APPLIED);
  }

  /** {@link #call(String, String, JsonNode)} with the caller's word on whether a replay is harmless. */
  public CompletionStage<JsonNode> call(String method, String path, JsonNode body, Retry retry) {
    return switch (method) {
      case "GET" -> transport.get(path, Duration.ZERO);
      case "POST" -> transport.post(path, body == null ? Json.object() : body, retry);
      case "DELETE" -> transport.delete(path, retry);
      default -> throw new IllegalArgumentException("GET, POST or DELETE, not " + method);
    };
  }

  /**
   * A consume loop over {@code request} (long-polling 30 s when it has no wait of its own): choose a handler on the
   * returned builder to start it.
   */
  public QueueConsumer.Builder consumer(PopRequest request) {
    PopRequest polling = request.longPoll() == null ? request.waitFor(DEFAULT_CONSUMER_WAIT) : request;
    return new QueueConsumer.Builder(this, polling);
  }

  /** Stops every consumer of this client (each finishes or abandons its in-flight pop) and lease renewals. */
  @Override
  public void close() {
    List<QueueConsumer> running;
    synchronized (consumers) {
      running = new ArrayList<>(consumers);
      consumers.clear();
    }
    running.forEach(QueueConsumer::close);
    scheduler.shutdownNow();
    transport.close();
  }

  void register(QueueConsumer consumer) {
    synchronized (consumers) {
      consumers.add(consumer);
    }
  }

  void unregister(QueueConsumer consumer) {
    synchronized (consumers) {
      consumers.remove(consumer);
    }
  }

  Duration requestTimeout() {
    return transport.requestTimeout();
  }

  static Duration hold(PopRequest request) {
    return request.longPoll() == null ? Duration.ZERO : request.longPoll();
  }

  private static String groupPath(String group, String queue) {
    return API + "/consumer-groups/" + PopRequest.encode(group) + "/queues/" + PopRequest.encode(queue);
  }

  private static <T> Function<JsonNode, List<T>> list(Function<JsonNode, T> item) {
    return array -> {
      List<T> items = new ArrayList<>();
      array.forEach(node -> items.add(item.apply(node)));
      return List.copyOf(items);
    };
  }

  /** How to reach the server. */
  public static final class Builder {
    private final String baseUrl;
    private Supplier<String> token;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration maxLeaseRenewal = Duration.ofMinutes(30);
    private Executor executor;

    private Builder(String baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /** A JWT for {@code Authorization: Bearer}, asked for on every request (so it may refresh); off by default. */
    public Builder bearerToken(Supplier<String> token) {
      this.token = token;
      return this;
    }

    /** The deadline of a call, not counting a long-poll's wait (default 30 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** The longest {@link QueenClient#renewLease} keeps a lease alive (default 30 min): a hung handler ends. */
    public Builder maxLeaseRenewal(Duration max) {
      this.maxLeaseRenewal = positive(max, "maxLeaseRenewal");
      return this;
    }

    /** Where the HttpClient runs its work and completes the stages (default: its own pool). */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    public QueenClient build() {
      return new QueenClient(this);
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
