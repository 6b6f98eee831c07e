package dev.queenj.http.pop;

import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.pop.PopRequest;
import dev.queenj.core.pop.PopService;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every long-poll currently parked, so that shutdown can answer them all with their empty answer. */
public final class ParkedPolls {
  private final Vertx vertx;
  private final PopService pops;
  private final AppendSignal signal;
  private final Set<LongPoll> parked = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public ParkedPolls(Vertx vertx, PopService pops, AppendSignal signal) {
    this.vertx = vertx;
    this.pops = pops;
    this.signal = signal;
  }

  /** Pops, waiting up to {@code timeoutMs} for a delivery; see {@link LongPoll#result()}. */
  public LongPoll park(PopRequest request, long timeoutMs) {
    long timeout = closed ? 0 : timeoutMs;
    LongPoll[] self = new LongPoll[1];
    LongPoll poll = new LongPoll(vertx, pops, signal, request, timeout, () -> parked.remove(self[0]));
    self[0] = poll;
    parked.add(poll);
    poll.start();
    return poll;
  }

  public int size() {
    return parked.size();
  }

  /** Stops accepting long-polls and releases the parked ones with their empty answer. */
  public void releaseAll() {
    closed = true;
    parked.forEach(LongPoll::release);
  }
}
