package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link QueenClient}'s calls, each waiting for the asynchronous call's answer for at most its deadline (the
 * request timeout, plus a long-poll's wait). Failures are thrown as {@link QueenException}.
 */
public final class BlockingQueenClient {
  /** On top of the request's own deadline, so the transport's timeout (the precise error) fires first. */
  private static final Duration GRACE = Duration.ofSeconds(1);

  private final QueenClient async;
  private final Duration requestTimeout;

  BlockingQueenClient(QueenClient async, Duration requestTimeout) {
    this.async = async;
    this.requestTimeout = requestTimeout;
  }

  public List<PushResult> push(List<PushItem> items) {
    return await(async.push(items));
  }

  public PushResult push(PushItem item) {
    return await(async.push(item));
  }

  public PopResult pop(PopRequest request) {
    return await(async.pop(request), QueenClient.hold(request));
  }

  public AckResult ack(Ack ack) {
    return await(async.ack(ack));
  }

  public List<AckResult> ack(List<Ack> acks) {
    return await(async.ack(acks));
  }

  public LeaseExtension extendLease(String leaseId, Duration by) {
    return await(async.extendLease(leaseId, by));
  }

  public TransactionResult transaction(Transaction transaction) {
    return await(async.transaction(transaction));
  }

  public JsonNode configure(String queue, QueueOptions options) {
    return await(async.configure(queue, options));
  }

  public DlqPage deadLetters(DlqQuery query) {
    return await(async.deadLetters(query));
  }

  public JsonNode requeueDeadLetter(DeadLetter dead) {
    return await(async.requeueDeadLetter(dead));
  }

  public void deleteDeadLetter(DeadLetter dead) {
    await(async.deleteDeadLetter(dead));
  }

  public GroupDeletion deleteConsumerGroup(String group, boolean keepSubscription) {
    return await(async.deleteConsumerGroup(group, keepSubscription));
  }

  public GroupDeletion deleteConsumerGroup(String group, String queue) {
    return await(async.deleteConsumerGroup(group, queue));
  }

  public void seekToEnd(String group, String queue) {
    await(async.seekToEnd(group, queue));
  }

  public void seek(String group, String queue, Instant time) {
    await(async.seek(group, queue, time));
  }

  public void subscribe(String group, Instant from) {
    await(async.subscribe(group, from));
  }

  public JsonNode call(String method, String path, JsonNode body) {
    return await(async.call(method, path, body));
  }

  public JsonNode call(String method, String path, JsonNode body, Retry retry) {
    return await(async.call(method, path, body, retry));
  }

  private <T> T await(CompletionStage<T> call) {
    return await(call, Duration.ZERO);
  }

  <T> T await(CompletionStage<T> call, Duration hold) {
    Future<T> future = call.toCompletableFuture();
    try {
      return future.get(requestTimeout.plus(hold).plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new QueenException.Unavailable("no answer before the deadline", e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new QueenException.Unavailable("interrupted while waiting for the server", e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  private static RuntimeException unwrap(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    return new QueenException.Unavailable(String.valueOf(cause), cause);
  }
}
