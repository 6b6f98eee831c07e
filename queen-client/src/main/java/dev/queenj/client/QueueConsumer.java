package dev.queenj.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loop on its own thread: long-poll, hand the messages to the handler, ack {@code completed} on success and
 * {@code failed} (with the exception's text) on an exception, again. With {@link Builder#renewLease} the lease is
 * extended while the handler runs. {@link #close()} stops the loop: a parked pop is abandoned, a running handler
 * is allowed to finish and its messages are acked; close waits for that at most the request timeout.
 */
public final class QueueConsumer implements AutoCloseable {
  private final QueenClient client;
  private final PopRequest request;
  private final Duration renewal;
  private final Step step;
  private final Thread thread;
  private final AtomicLong handled = new AtomicLong();
  private volatile boolean running = true;
  private volatile CompletableFuture<PopResult> parked;

  private QueueConsumer(QueenClient client, PopRequest request, Duration renewal, Step step) {
    this.client = client;
    this.request = request;
    this.renewal = renewal;
    this.step = step;
    this.thread = new Thread(this::run, "queen-consumer-" + request.queue());
    this.thread.setDaemon(true);
  }

  /** Messages handled successfully so far. */
  public long handled() {
    return handled.get();
  }

  public boolean isRunning() {
    return thread.isAlive();
  }

  private void run() {
    while (running) {
      PopResult popped;
      try {
        CompletableFuture<PopResult> pop = client.pop(request).toCompletableFuture();
        parked = pop;
        if (!running) {
          pop.cancel(true);
          return;
        }
        popped = client.blocking().await(pop, QueenClient.hold(request));
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        backOff();
        continue;
      } finally {
        parked = null;
      }
      if (!popped.isEmpty()) {
        try (LeaseRenewal lease = renew(popped)) {
          step.run(this, popped.messages());
        }
      }
    }
  }

  private LeaseRenewal renew(PopResult popped) {
    String leaseId = popped.messages().get(0).leaseId();
    if (renewal == null || leaseId == null || leaseId.isEmpty()) {
      return null;
    }
    return client.renewLease(leaseId, renewal);
  }

  /** After a failed pop (server away): wait a little, interruptibly by close(), before the next try. */
  private void backOff() {
    synchronized (this) {
      try {
        if (running) {
          wait(1_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  private void acks(List<Ack> acks) {
    if (request.autoAck() || acks.isEmpty()) {
      return;
    }
    try {
      client.blocking().ack(acks);
    } catch (QueenException e) {
      // unacked messages come back when the lease runs out: at-least-once
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @Override
  public void close() {
    running = false;
    CompletableFuture<PopResult> pop = parked;
    if (pop != null) {
      pop.cancel(true);
    }
    synchronized (this) {
      notifyAll();
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join(client.requestTimeout().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    client.unregister(this);
  }

  /** What the loop does with a popped batch. */
  private interface Step {
    void run(QueueConsumer consumer, List<Message> messages);
  }

  /** Each message in order; a failure nacks it and leaves the rest of the batch for the redelivery. */
  private static Step perMessage(MessageHandler handler) {
    return (consumer, messages) -> {
      List<Ack> acks = new ArrayList<>();
      for (Message message : messages) {
        try {
          handler.handle(message);
          acks.add(Ack.completed(message));
          consumer.handled.incrementAndGet();
        } catch (Exception e) {
          acks.add(Ack.failed(message, describe(e)));
          break;
        }
      }
      consumer.acks(acks);
    };
  }

  /** The batch at once; a failure nacks its first message, which retries the whole batch. */
  private static Step perBatch(BatchHandler handler) {
    return (consumer, messages) -> {
      List<Ack> acks = new ArrayList<>();
      try {
        handler.handle(messages);
        messages.forEach(message -> acks.add(Ack.completed(message)));
        consumer.handled.addAndGet(messages.size());
      } catch (Exception e) {
        acks.add(Ack.failed(messages.get(0), describe(e)));
      }
      consumer.acks(acks);
    };
  }

  /** Chooses the handler, which starts the loop. */
  public static final class Builder {
    private final QueenClient client;
    private final PopRequest request;
    private Duration renewal;

    Builder(QueenClient client, PopRequest request) {
      this.client = client;
      this.request = request;
    }

    /** Extend the lease by {@code extension} every half of it while a handler runs. */
    public Builder renewLease(Duration extension) {
      this.renewal = extension;
      return this;
    }

    public QueueConsumer onMessage(MessageHandler handler) {
      return start(perMessage(handler));
    }

    public QueueConsumer onBatch(BatchHandler handler) {
      return start(perBatch(handler));
    }

    private QueueConsumer start(Step step) {
      QueueConsumer consumer = new QueueConsumer(client, request, renewal, step);
      client.register(consumer);
      consumer.thread.start();
      return consumer;
    }
  }
}
