package dev.queenj.core.pop;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares out a group's candidate partitions among its pops that this instance runs at the same time. They all prefer
 * the same least recently consumed partitions, and long-polls woken by one append start together: searching each on
 * its own, they would read the same candidates and all but the first would find them locked or leased and claim
 * nothing. Instead one search runs at a time per group and queue, for every pop waiting on it; the candidates are dealt
 * out among those pops, and each pop's share is reserved for it until its claim has committed (when its leases keep
 * the others away); searches leave reserved partitions out. This only saves wasted statements: SKIP LOCKED and the
 * leases keep claims apart, across instances too, as before.
 */
final class PopsInFlight {
  /** Runs one search: up to {@code limit} candidates in preference order, leaving out {@code reserved}. */
  interface Search {
    Future<Map<UUID, String>> run(int limit, UUID[] reserved);
  }

  /** A pop's share of one search, by id and name; {@code searchFoundNone} when the search found no candidate at all. */
  record Share(Map<UUID, String> partitions, boolean searchFoundNone) {}

  private record Key(UUID queueId, String group) {}

  private record Waiter(int wanted, Search search, Promise<Share> share) {}

  /** One group's pops on one queue; touched only inside the map's atomic operations. */
  private static final class Group {
    final Set<UUID> reserved = new HashSet<>();
    final List<Waiter> waiting = new ArrayList<>();
    boolean searching;

    boolean idle() {
      return !searching && waiting.isEmpty() && reserved.isEmpty();
    }
  }

  private static final UUID[] NONE = new UUID[0];

  private final ConcurrentHashMap<Key, Group> groups = new ConcurrentHashMap<>();

  /**
   * Up to {@code wanted} candidates for one pop, reserved for it: {@link #release} them once its claim is over. Joins
   * the next search when one is running, else starts one with {@code search}.
   */
  Future<Share> candidates(UUID queueId, String group, int wanted, Search search) {
    Key key = new Key(queueId, group);
    Waiter waiter = new Waiter(wanted, search, Promise.promise());
    boolean[] start = {false};
    groups.compute(key, (k, pops) -> {
      Group held = pops == null ? new Group() : pops;
      held.waiting.add(waiter);
      start[0] = !held.searching;
      held.searching = true;
      return held;
    });
    if (start[0]) {
      searchFor(key);
    }
    return waiter.share().future();
  }

  void release(UUID queueId, String group, Collection<UUID> reserved) {
    if (!reserved.isEmpty()) {
      groups.computeIfPresent(new Key(queueId, group), (key, pops) -> {
        pops.reserved.removeAll(reserved);
        return pops.idle() ? null : pops;
      });
    }
  }

  /**
   * Deals the candidates out in turn, like cards, to the pops that still want some: when there are fewer than they
   * want, each gets some and they claim in parallel, instead of the first taking all and the others waiting.
   */
  private static List<Map<UUID, String>> deal(Map<UUID, String> candidates, List<Waiter> batch) {
    List<Map<UUID, String>> hands = new ArrayList<>(batch.size());
    batch.forEach(waiter -> hands.add(new LinkedHashMap<>()));
    int next = 0;
    for (Map.Entry<UUID, String> candidate : candidates.entrySet()) {
      int skipped = 0;
      while (hands.get(next).size() >= batch.get(next).wanted() && skipped < batch.size()) {
        next = (next + 1) % batch.size();
        skipped++;
      }
      if (skipped == batch.size()) {
        break;
      }
      hands.get(next).put(candidate.getKey(), candidate.getValue());
      next = (next + 1) % batch.size();
    }
    return hands;
  }

  /** Searches once for every pop waiting now, hands out the shares, and goes on while more pops came meanwhile. */
  private void searchFor(Key key) {
    List<Waiter> batch = new ArrayList<>();
    UUID[][] reserved = {NONE};
    groups.computeIfPresent(key, (k, pops) -> {
      batch.addAll(pops.waiting);
      pops.waiting.clear();
      reserved[0] = pops.reserved.toArray(NONE);
      return pops;
    });
    int limit = batch.stream().mapToInt(Waiter::wanted).sum();
    batch.get(0).search().run(limit, reserved[0]).onComplete(done -> {
      List<Share> shares = new ArrayList<>(batch.size());
      boolean[] more = {false};
      groups.computeIfPresent(key, (k, pops) -> {
        if (done.succeeded()) {
          deal(done.result(), batch).forEach(mine -> {
            pops.reserved.addAll(mine.keySet());
            shares.add(new Share(mine, done.result().isEmpty()));
          });
        }
        more[0] = !pops.waiting.isEmpty();
        pops.searching = more[0];
        return pops.idle() ? null : pops;
      });
      for (int i = 0; i < batch.size(); i++) {
        if (done.succeeded()) {
          batch.get(i).share().complete(shares.get(i));
        } else {
          batch.get(i).share().fail(done.cause());
        }
      }
      if (more[0]) {
        searchFor(key);
      }
    });
  }
}
