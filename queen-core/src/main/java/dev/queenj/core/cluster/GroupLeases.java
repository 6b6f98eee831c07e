package dev.queenj.core.cluster;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Which instance coordinates each Kafka consumer group: a lease per group in {@code queen_group_leases}, taken by the
 * instance a client first asks for the group's coordinator and renewed by it while it serves the group.
 *
 * <p>Per-group rows rather than leases on hash ranges: a group moves alone when its owner dies, the instance a
 * client asked takes it (so a single instance owns all its groups without any rebalancing of ranges), and the cost
 * is one row per active group, renewed in one statement per heartbeat.
 *
 * <p>Fencing is by time. Postgres' clock decides when a lease expired (nobody else takes it before); this instance
 * counts its own deadline from before it sent the statement that renewed the lease, so the deadline is never later
 * than the stored expiry, and stops acting {@link ClusterSettings#leaseMarginMs()} before it: {@link #holds} turns
 * false then even if Postgres is unreachable and renewals cannot tell.
 */
public final class GroupLeases {
  private static final String CLAIM = Sql.load(GroupLeases.class, "group_lease_claim.sql");
  private static final String RENEW = Sql.load(GroupLeases.class, "group_lease_renew.sql");
  private static final String RELEASE = Sql.load(GroupLeases.class, "group_lease_release.sql");
  /** The answer of {@link #owner} when the group's owner could not be read (a concurrent claim); clients retry. */
  public static final String UNKNOWN_OWNER = "";

  private final Database database;
  private final ClusterSettings settings;
  private final LongSupplier nanoClock;
  /** Group id → this instance's lease on it; absent: not ours. */
  private final Map<String, Lease> held = new ConcurrentHashMap<>();

  /** Until when (System.nanoTime) this instance may act for a group, and when a request last asked it to. */
  private record Lease(long until, long used) {}

  public GroupLeases(Database database, ClusterSettings settings) {
    this(database, settings, System::nanoTime);
  }

  GroupLeases(Database database, ClusterSettings settings, LongSupplier nanoClock) {
    this.database = database;
    this.settings = settings;
    this.nanoClock = nanoClock;
  }

  /**
   * Who coordinates a group.
   *
   * @param owner the instance id of the lease's holder ({@link #UNKNOWN_OWNER} when a concurrent claim hid it)
   * @param taken whether this instance has just taken the lease, not holding a valid one before: whatever it still
   *     remembers of the group is from an earlier lease, and another instance may have coordinated the group since
   */
  public record Owner(String owner, boolean taken) {}

  /**
   * Who coordinates {@code groupId}: this instance ({@code self}) when the group had no live lease (it takes it) or
   * it holds it, else the holder.
   */
  public Future<Owner> owner(String groupId, String self) {
    long sent = nanoClock.getAsLong();
    return database.pool().preparedQuery(CLAIM).execute(Tuple.of(groupId, self, settings.expiryMs())).map(rows -> {
      if (rows.size() == 0) {
        return new Owner(UNKNOWN_OWNER, false);
      }
      Row row = rows.iterator().next();
      String owner = row.getString("owner");
      if (!owner.equals(self)) {
        held.remove(groupId);
        return new Owner(owner, false);
      }
      long now = nanoClock.getAsLong();
      boolean[] taken = new boolean[1];
      held.compute(groupId, (id, previous) -> {
        taken[0] = previous == null || now - previous.until() >= 0;
        return new Lease(deadline(sent), now);
      });
      return new Owner(owner, taken[0]);
    });
  }

  /** Whether this instance may act for {@code groupId} now; counts as a use of the lease. */
  public boolean holds(String groupId) {
    long now = nanoClock.getAsLong();
    Lease lease = held.computeIfPresent(groupId, (id, current) -> new Lease(current.until(), now));
    return lease != null && now - lease.until() < 0;
  }

  /** Whether this instance may act for {@code groupId} now, without counting as a use: for read-only views. */
  public boolean heldNow(String groupId) {
    return valid(groupId, nanoClock.getAsLong());
  }

  private boolean valid(String groupId, long now) {
    Lease lease = held.get(groupId);
    return lease != null && now - lease.until() < 0;
  }

  /** The groups this instance holds leases on (some may have lapsed: see {@link #holds}). */
  public Set<String> held() {
    return Set.copyOf(held.keySet());
  }

  /**
   * Renews the leases this instance holds on {@code active} groups (those it keeps state for) and on groups a request
   * used within the expiry, and releases the others; answers the groups it lost: their leases lapsed locally or were
   * taken over.
   */
  public Future<Set<String>> renew(Collection<String> active, String self) {
    long now = nanoClock.getAsLong();
    long idleAfter = settings.expiryMs() * 1_000_000L;
    Set<String> keep = new HashSet<>();
    Set<String> idle = new HashSet<>();
    Set<String> lost = new HashSet<>();
    held.forEach((group, lease) -> {
      if (!valid(group, now)) {
        lost.add(group);
      } else if (active.contains(group) || now - lease.used() < idleAfter) {
        keep.add(group);
      } else {
        idle.add(group);
      }
    });
    lost.forEach(held::remove);
    active.stream().filter(group -> !held.containsKey(group)).forEach(lost::add);
    Future<Void> released = idle.isEmpty() ? Future.succeededFuture() : release(idle, self);
    if (keep.isEmpty()) {
      return released.map(done -> lost);
    }
    long sent = nanoClock.getAsLong();
    return released.compose(done -> database.pool().preparedQuery(RENEW)
        .execute(Tuple.of(keep.toArray(new String[0]), self, settings.expiryMs()))).map(rows -> {
          Set<String> renewed = new HashSet<>();
          rows.forEach(row -> renewed.add(row.getString("group_id")));
          long until = deadline(sent);
          for (String group : keep) {
            if (renewed.contains(group)) {
              held.computeIfPresent(group, (id, previous) -> new Lease(until, previous.used()));
            } else {
              held.remove(group);
              lost.add(group);
            }
          }
          return lost;
        });
  }

  /** Gives these groups up at once, so that another instance may take them without waiting for expiry. */
  public Future<Void> release(Collection<String> groups, String self) {
    groups.forEach(held::remove);
    return database.pool().preparedQuery(RELEASE).execute(Tuple.of(groups.toArray(new String[0]), self))
        .mapEmpty();
  }

  private long deadline(long sent) {
    return sent + (settings.expiryMs() - settings.leaseMarginMs()) * 1_000_000L;
  }
}
