package dev.queenj.core.notify;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups across the instances sharing one database, over Postgres {@code LISTEN/NOTIFY} on {@link #CHANNEL}.
 *
 * <p><b>Sending.</b> Every append committed here (whatever its path: push, transaction, Kafka produce or transaction
 * commit, stream cycle, outage-buffer replay; they all signal {@link AppendSignal}) hands its queues over; they are
 * sent <i>after</i> the commit, in a statement of their own, one at a time and at most every
 * {@link #MIN_INTERVAL_NANOS}: what commits while one notification is in flight or waiting is coalesced into the
 * next. Not inside the appending transaction: a transaction that notified holds Postgres' one notification-queue
 * lock from its pre-commit until its commit record is flushed, which would serialize the group commit's parallel
 * lanes (and every other notifying writer) behind each other's WAL flushes. Sent after, a notification costs one
 * short round trip off the client's path per coalesced batch and no WAL flush ({@code appends_notify.sql}). The price:
 * an instance that dies between its commit and its notification leaves the others to find those messages by their
 * periodic re-check.
 *
 * <p><b>Payload.</b> This instance's tag, then the queue names, one a line (none: an instance announcing that it
 * listens). Postgres refuses payloads of 8000 bytes
 * or more; a batch naming more than {@link #MAX_PAYLOAD_BYTES}, or a queue name with a line break, is sent as the
 * tag alone: "something changed", and every listener over there reads again.
 *
 * <p><b>Receiving.</b> One connection of its own per instance ({@link Database#subscriber}), reconnected for as long
 * as the instance runs; notifications carrying this instance's tag are ignored (the append already woke its
 * listeners in-process). While it is down notifications are lost, so the parked waiters fall back to their periodic
 * re-checks, and each time it is listening again everyone here is woken once.
 */
public final class AppendNotifications {
  private static final Logger LOG = LoggerFactory.getLogger(AppendNotifications.class);
  public static final String CHANNEL = "queen_appends";
  /** Postgres' limit is 8000 bytes; the tag and line breaks are counted, this leaves room for rounding. */
  static final int MAX_PAYLOAD_BYTES = 7_900;
  private static final long MAX_RECONNECT_DELAY_MS = 5_000;
  /**
   * Notifications leave at most this often. Each is a small transaction for Postgres and a wake-up for every
   * listening instance (this one's own included, which only drops it); one per group-commit batch would send one for
   * nearly every commit under a stream of small pushes: in the interleaved A/B (bench/run.sh push, a shared and
   * noisy machine) push batch 1 came out lower than main's in all four pairs, at twice main's commits per message. At
   * most every 5 ms bounds that to 200 a second per instance whatever the load, and adds at most 5 ms to a wake-up,
   * only while appends follow each other that closely; a lone append is notified at once.
   */
  static final long MIN_INTERVAL_NANOS = 5_000_000;
  private static final String NOTIFY = Sql.load(AppendNotifications.class, "appends_notify.sql");

  private final Database database;
  private final AppendSignal signal;
  /** Tells this instance's notifications apart from the others'; fresh per start, never stored. */
  private final String tag = UUID.randomUUID().toString();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong subscriptions = new AtomicLong();

  // what waits to be sent, guarded by this
  private final Set<String> pending = new LinkedHashSet<>();
  private int pendingBytes;
  private boolean overflow;
  /** A notification is in flight or its timer set: what commits meanwhile waits for the next. */
  private boolean scheduled;
  private volatile long lastSentNanos = System.nanoTime() - MIN_INTERVAL_NANOS;

  /**
   * How long a notification heard from another instance counts as "someone listens": longer than any heartbeat, so
   * an instance that just started and announced itself is notified until the registry shows it.
   */
  static final long HEARD_RECENTLY_NANOS = 30_000_000_000L;
  private volatile long heardRecentlyNanos = HEARD_RECENTLY_NANOS;
  /** Whether any other instance could be waiting: while none is live, appends are not notified at all. */
  private volatile BooleanSupplier othersLive = () -> true;
  private volatile long heardFromOthersNanos = System.nanoTime() - HEARD_RECENTLY_NANOS;
  private volatile Vertx vertx;
  private volatile PgSubscriber subscriber;
  private volatile boolean running;
  private volatile boolean listening;

  public AppendNotifications(Database database, AppendSignal signal) {
    this.database = database;
    this.signal = signal;
  }

  /**
   * Starts sending this instance's appends and listening to the others'. Completes once listening, or at the first
   * failure to connect (logged): the instance runs on its periodic re-checks and keeps trying meanwhile.
   */
  public Future<Void> start(Vertx vertx) {
    this.vertx = vertx;
    running = true;
    signal.forwardTo(this::committed);
    PgSubscriber made = database.subscriber(vertx).orElse(null);
    if (made == null) {
      LOG.info("no address to LISTEN on: wake-ups from other instances come by periodic re-checks only");
      return Future.succeededFuture();
    }
    subscriber = made;
    made.reconnectPolicy(AppendNotifications::reconnectDelay);
    made.channel(CHANNEL)
        .subscribeHandler(v -> subscribed())
        .handler(this::received);
    return connect(0);
  }

  private Future<Void> connect(int attempt) {
    PgSubscriber current = subscriber;
    if (!running || current == null) {
      return Future.succeededFuture();
    }
    return current.connect().recover(failure -> {
      // the subscriber retries by itself only once it has been connected; before that, this does
      LOG.warn("cannot LISTEN for other instances' appends ({}); retrying, periodic re-checks meanwhile",
          failure.getMessage());
      vertx.setTimer(reconnectDelay(attempt), id -> connect(attempt + 1));
      return Future.succeededFuture();
    });
  }

  private static long reconnectDelay(int attempt) {
    return Math.min(MAX_RECONNECT_DELAY_MS, 50L << Math.min(attempt, 7));
  }

  /**
   * Sends only while {@code othersLive} says another instance is live on the database: a lone instance's
   * notifications reach nobody and cost Postgres a commit each (push batch 1 and push + pop lost 7-15 % to them in
   * the single-instance bench). An instance that starts listening announces itself with a notification, and one
   * heard from another instance counts as "someone listens" for {@link #HEARD_RECENTLY_NANOS}, so a lone instance
   * notifies a newcomer at once, not from its next heartbeat's view of the registry.
   */
  public void sendOnlyWhile(BooleanSupplier othersLive) {
    this.othersLive = othersLive;
  }

  /** How long a notification heard from another instance keeps this one notifying ({@link #HEARD_RECENTLY_NANOS}). */
  void heardRecentlyFor(long nanos) {
    heardRecentlyNanos = nanos;
  }

  /** Stops sending and listening; idempotent. */
  public Future<Void> stop() {
    running = false;
    signal.forwardTo(queues -> { });
    listening = false;
    PgSubscriber current = subscriber;
    subscriber = null;
    return current == null ? Future.succeededFuture() : current.close().otherwiseEmpty();
  }

  /** Whether the listening connection is subscribed now. */
  public boolean listening() {
    PgSubscriber current = subscriber;
    return listening && current != null && current.actualConnection() != null;
  }

  /** Notifications sent; they only grow. */
  public long sent() {
    return sent.get();
  }

  /** Other instances' notifications received; they only grow. */
  public long received() {
    return received.get();
  }

  /** Times the listening connection subscribed (1 + reconnects). */
  public long subscriptions() {
    return subscriptions.get();
  }

  private void subscribed() {
    if (subscriptions.get() > 0) {
      LOG.info("listening for other instances' appends again: waking every waiter once");
    }
    // notifications sent while no one listened here are lost; whoever waits reads again
    signal.somethingChanged();
    listening = true;
    subscriptions.incrementAndGet();
    // announce this instance (its tag and no queue: nothing to wake), so that one alone until now notifies from here
    // on rather than from its next heartbeat's view of the registry
    database.pool().preparedQuery(NOTIFY).execute(Tuple.of(CHANNEL, tag + "\n")).onFailure(failure ->
        LOG.debug("could not announce this instance to the others: {}", failure.toString()));
  }

  private void received(String payload) {
    int end = payload.indexOf('\n');
    String from = end < 0 ? payload : payload.substring(0, end);
    if (from.equals(tag)) {
      return;
    }
    heardFromOthersNanos = System.nanoTime();
    if (end == payload.length() - 1) {
      return; // an instance announcing itself
    }
    received.incrementAndGet();
    if (end < 0) {
      signal.somethingChanged();
      return;
    }
    List<String> queues = new ArrayList<>();
    int start = end + 1;
    while (start <= payload.length()) {
      int next = payload.indexOf('\n', start);
      queues.add(payload.substring(start, next < 0 ? payload.length() : next));
      if (next < 0) {
        break;
      }
      start = next + 1;
    }
    signal.appendedElsewhere(queues);
  }

  /** Called on the committing thread with the queues an append committed to. */
  private void committed(Collection<String> queues) {
    if (!othersLive.getAsBoolean() && System.nanoTime() - heardFromOthersNanos > heardRecentlyNanos) {
      return;
    }
    synchronized (this) {
      if (!running) {
        return;
      }
      for (String queue : queues) {
        if (overflow) {
          break;
        }
        if (queue.indexOf('\n') >= 0) {
          overflow = true;
        } else if (pending.add(queue)) {
          pendingBytes += queue.getBytes(StandardCharsets.UTF_8).length + 1;
          overflow = tag.length() + pendingBytes > MAX_PAYLOAD_BYTES;
        }
      }
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    sendSoon();
  }

  /** Sends what is pending now, or once {@link #MIN_INTERVAL_NANOS} passed since the last notification. */
  private void sendSoon() {
    long waitNanos = lastSentNanos + MIN_INTERVAL_NANOS - System.nanoTime();
    if (waitNanos <= 0) {
      sendPending();
    } else {
      vertx.setTimer(Math.max(1, (waitNanos + 999_999) / 1_000_000), id -> sendPending());
    }
  }

  private void sendPending() {
    String payload;
    synchronized (this) {
      if (!running || (pending.isEmpty() && !overflow)) {
        scheduled = false;
        return;
      }
      payload = overflow ? tag : tag + "\n" + String.join("\n", pending);
      pending.clear();
      pendingBytes = 0;
      overflow = false;
    }
    lastSentNanos = System.nanoTime();
    database.pool().preparedQuery(NOTIFY).execute(Tuple.of(CHANNEL, payload)).onComplete(done -> {
      if (done.succeeded()) {
        sent.incrementAndGet();
      } else if (running) {
        LOG.debug("could not notify other instances of appends (their re-checks will find them): {}",
            done.cause().toString());
      }
      synchronized (this) {
        if (!running || (pending.isEmpty() && !overflow)) {
          scheduled = false;
          return;
        }
      }
      sendSoon();
    });
  }
}
