package dev.queenj.kafka.group;

import dev.queenj.core.QueenCore;
import dev.queenj.core.cluster.ClusterMembership;
import dev.queenj.core.cluster.GroupLeases;
import dev.queenj.core.group.CommittedOffset;
import dev.queenj.core.group.KafkaGroupOffsets;
import dev.queenj.core.group.LiveKafkaGroups;
import dev.queenj.core.group.OffsetCommit;
import dev.queenj.core.kafkatxn.KafkaTransactions;
import dev.queenj.core.kafkatxn.PendingOffset;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.kafka.api.KafkaErrors;
import dev.queenj.kafka.api.Stages;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The runner around {@link ClassicGroup}s: decides on one Vert.x context, so all work for a group runs serially
 * without locks; persists second — offsets go to Postgres and are answered after the write committed; and keeps one
 * Vert.x timer per group at the group's next deadline (session expiry, end of a join phase).
 *
 * <p>Membership lives in this instance's memory; a group without members is forgotten and exists only through its
 * committed offsets. With several instances on one database, each group is coordinated by the instance holding its
 * lease ({@link GroupLeases}): FindCoordinator, or any group request, takes the lease when nobody holds it; a group
 * request for a group another instance holds answers NOT_COORDINATOR, so that its client asks FindCoordinator again.
 * The leases are renewed every heartbeat; a group whose lease is lost is abandoned (its parked joins and syncs answer
 * NOT_COORDINATOR and its members rejoin at the new owner), and so is what is left of a group whose lease this
 * instance takes again after it lapsed.
 */
public final class GroupCoordinator implements LiveKafkaGroups {
  private final Vertx vertx;
  private final Context context;
  private final QueueCatalog queues;
  private final KafkaGroupOffsets offsets;
  private final KafkaTransactions transactions;
  private final GroupConfig config;
  private final LongSupplier clock;
  private final Map<String, ClassicGroup> groups = new HashMap<>();
  private final Map<String, Long> timers = new HashMap<>();
  private final ClusterMembership membership;
  private final GroupLeases leases;
  private long renewals = -1;

  public GroupCoordinator(Vertx vertx, QueenCore core, GroupConfig config, ClusterMembership membership) {
    this.vertx = vertx;
    this.membership = membership;
    this.leases = new GroupLeases(core.database(), membership.settings());
    this.context = vertx.getOrCreateContext();
    this.queues = core.queues();
    this.offsets = core.kafkaGroupOffsets();
    this.transactions = core.kafkaTransactions();
    this.config = config;
    this.clock = System::currentTimeMillis;
  }

  /**
   * The instance id of the instance coordinating {@code groupId}: the holder of its lease, this instance when nobody
   * held it.
   */
  public CompletionStage<String> coordinatorOf(String groupId) {
    String self = membership.instanceId();
    if (leases.holds(groupId)) {
      return CompletableFuture.completedFuture(self);
    }
    // Claims for one group can be in flight at once (two members' first requests): the one that finds the lease free
    // says "taken", yet by the time its abandon runs the other may have created the group under this very lease
    // already. Only a group older than this claim is from a lease that lapsed.
    long asked = System.nanoTime();
    return Stages.of(membership.view().compose(view -> leases.owner(groupId, self))).thenCompose(found -> {
      if (!found.taken()) {
        return CompletableFuture.completedFuture(found.owner());
      }
      // whatever this instance still remembers of the group is from a lease that lapsed: another instance may have
      // coordinated the group since
      return onContext(() -> {
        ClassicGroup remembered = groups.get(groupId);
        if (remembered != null && remembered.createdNanos() - asked < 0) {
          abandon(groupId);
        }
        return CompletableFuture.completedFuture(found.owner());
      });
    });
  }

  /** Whether this instance coordinates {@code groupId} now. */
  public boolean coordinates(String groupId) {
    return leases.holds(groupId);
  }

  /** Starts renewing the leases of the groups this instance coordinates, every heartbeat. */
  public void start() {
    context.runOnContext(started -> {
      if (renewals < 0) {
        renewals = vertx.setPeriodic(membership.settings().heartbeatMs(), id -> renew());
      }
    });
  }

  /**
   * Stops coordinating: every group is abandoned and its lease released, so that other instances take the groups at
   * once rather than after the leases expire.
   */
  public Future<Void> stop() {
    return Future.fromCompletionStage(onContext(() -> {
      if (renewals >= 0) {
        vertx.cancelTimer(renewals);
        renewals = -1;
      }
      List.copyOf(groups.keySet()).forEach(this::abandon);
      Set<String> held = leases.held();
      return held.isEmpty() ? CompletableFuture.completedFuture((Void) null)
          : Stages.of(leases.release(held, membership.instanceId()));
    }), context);
  }

  private void renew() {
    leases.renew(Set.copyOf(groups.keySet()), membership.instanceId())
        .onSuccess(lost -> context.runOnContext(on -> lost.forEach(this::abandon)))
        .onFailure(failure -> context.runOnContext(on -> {
          // Postgres did not answer: whatever lapsed meanwhile is not ours any more
          List.copyOf(groups.keySet()).stream().filter(group -> !leases.holds(group)).forEach(this::abandon);
        }));
  }

  /** On the coordinator's context: forgets the group, answering its parked requests NOT_COORDINATOR. */
  private void abandon(String groupId) {
    ClassicGroup group = groups.remove(groupId);
    Long timer = timers.remove(groupId);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
    if (group != null) {
      group.abandon();
    }
  }

  /**
   * Runs {@code work} if this instance coordinates the group, taking its lease when nobody holds it (a client that
   * asked FindCoordinator elsewhere, or a single instance, needs no detour); fails with NOT_COORDINATOR when another
   * instance holds it.
   */
  private <T> CompletionStage<T> coordinated(Collection<String> groupIds, Supplier<CompletionStage<T>> work) {
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (String groupId : groupIds) {
      if (!leases.holds(groupId)) {
        all = all.thenCompose(previous -> coordinatorOf(groupId).thenAccept(owner -> {
          if (!owner.equals(membership.instanceId())) {
            throw new NotCoordinatorException("group " + groupId + " is coordinated by instance " + owner);
          }
        }));
      }
    }
    return all.thenCompose(ready -> work.get());
  }

  private <T> CompletionStage<T> coordinated(String groupId, Supplier<CompletionStage<T>> work) {
    return coordinated(List.of(groupId), work);
  }

  // ---- membership

  CompletionStage<JoinGroupResponseData> join(String groupId, JoinRequest join) {
    requireGroupId(groupId);
    if (join.sessionTimeoutMs() < config.minSessionTimeoutMs()
        || join.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
      throw new InvalidSessionTimeoutException("session timeout " + join.sessionTimeoutMs() + " ms is outside "
          + config.minSessionTimeoutMs() + ".." + config.maxSessionTimeoutMs());
    }
    return onGroup(groupId, true, group -> group.join(join, clock.getAsLong()));
  }

  CompletionStage<SyncGroupResponseData> sync(String groupId, String memberId, String groupInstanceId,
      int generationId, String protocolType, String protocolName, Map<String, byte[]> assignments) {
    requireGroupId(groupId);
    return onGroup(groupId, false, group -> group == null
        ? CompletableFuture.completedFuture(new SyncGroupResponseData()
            .setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()).setProtocolType(null).setProtocolName(null))
        : group.sync(memberId, groupInstanceId, generationId, protocolType, protocolName, assignments,
            clock.getAsLong()));
  }

  CompletionStage<Errors> heartbeat(String groupId, String memberId, String groupInstanceId, int generationId) {
    requireGroupId(groupId);
    return onGroup(groupId, false, group -> CompletableFuture.completedFuture(group == null
        ? Errors.UNKNOWN_MEMBER_ID : group.heartbeat(memberId, groupInstanceId, generationId, clock.getAsLong())));
  }

  /** Member id and group.instance.id (null for a dynamic member) of each leaving member, with its answer. */
  CompletionStage<List<Errors>> leave(String groupId, List<Map.Entry<String, String>> leaving) {
    requireGroupId(groupId);
    return onGroup(groupId, false, group -> {
      List<Errors> answers = new ArrayList<>(leaving.size());
      for (Map.Entry<String, String> member : leaving) {
        answers.add(group == null ? Errors.UNKNOWN_MEMBER_ID
            : group.leave(member.getKey(), member.getValue(), clock.getAsLong()));
      }
      return CompletableFuture.completedFuture(answers);
    });
  }

  // ---- offsets

  /**
   * Checks that the committer may commit now, then stores every partition it may in one statement and answers after
   * the commit. A partition of an unknown topic, or beyond the topic's partitions, is UNKNOWN_TOPIC_OR_PARTITION.
   */
  CompletionStage<Map<TopicPartition, Errors>> commitOffsets(String groupId, String memberId, String groupInstanceId,
      int generationId, List<PartitionCommit> commits) {
    requireGroupId(groupId);
    return onGroup(groupId, false, group -> CompletableFuture.completedFuture(group != null
        ? group.validateOffsetCommit(memberId, groupInstanceId, generationId)
        // no members: only "simple" commits; a member's commit comes from a generation that no longer exists
        : generationId < 0 && memberId.isEmpty() ? Errors.NONE : Errors.ILLEGAL_GENERATION))
        .thenCompose(allowed -> allowed != Errors.NONE ? CompletableFuture.completedFuture(all(commits, allowed))
            : store(commits, rows -> offsets.commit(groupId, rows)));
  }

  /**
   * TxnOffsetCommit: checks the committer against the live group as OffsetCommit does, except that a commit naming
   * no member and no generation (v0–2, or a producer given only the group id) is not checked, and one during a
   * rebalance's sync phase is not held back, as Kafka does; then hands the partitions it may commit to
   * {@code stage}, which stages them in the producer's transaction.
   */
  CompletionStage<Map<TopicPartition, Errors>> commitTransactionalOffsets(String groupId, String memberId,
      String groupInstanceId, int generationId, List<PartitionCommit> commits,
      Function<List<OffsetCommit>, Future<Void>> stage) {
    requireGroupId(groupId);
    boolean unchecked = generationId < 0 && memberId.isEmpty() && groupInstanceId == null;
    return onGroup(groupId, false, group -> {
      Errors checked = unchecked ? Errors.NONE : group == null ? Errors.ILLEGAL_GENERATION
          : group.validateOffsetCommit(memberId, groupInstanceId, generationId);
      return CompletableFuture.completedFuture(checked == Errors.REBALANCE_IN_PROGRESS ? Errors.NONE : checked);
    }).thenCompose(allowed -> allowed != Errors.NONE ? CompletableFuture.completedFuture(all(commits, allowed))
        : store(commits, stage));
  }

  private CompletionStage<Map<TopicPartition, Errors>> store(List<PartitionCommit> commits,
      Function<List<OffsetCommit>, Future<Void>> write) {
    Set<String> topics = new LinkedHashSet<>();
    commits.forEach(commit -> topics.add(commit.topic()));
    return Stages.of(queues.named(topics)).thenCompose(found -> {
      Map<String, Queue> byName = new HashMap<>();
      found.forEach(queue -> byName.put(queue.name(), queue));
      Map<TopicPartition, Errors> answers = new LinkedHashMap<>();
      List<OffsetCommit> rows = new ArrayList<>(commits.size());
      for (PartitionCommit commit : commits) {
        TopicPartition partition = new TopicPartition(commit.topic(), commit.partition());
        Queue queue = byName.get(commit.topic());
        if (queue == null || commit.partition() < 0 || commit.partition() >= queue.kafkaPartitions()) {
          answers.put(partition, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        } else if (commit.metadata() != null && commit.metadata().length() > config.maxMetadataBytes()) {
          answers.put(partition, Errors.OFFSET_METADATA_TOO_LARGE);
        } else {
          // Kafka stores no metadata as the empty string, and so answers it on fetch
          rows.add(new OffsetCommit(queue.id(), commit.partition(), commit.offset(), commit.leaderEpoch(),
              commit.metadata() == null ? "" : commit.metadata()));
          answers.put(partition, Errors.NONE);
        }
      }
      return Stages.of(write.apply(rows)).thenApply(done -> answers);
    });
  }

  private static Map<TopicPartition, Errors> all(List<PartitionCommit> commits, Errors error) {
    Map<TopicPartition, Errors> answers = new LinkedHashMap<>();
    commits.forEach(commit -> answers.put(new TopicPartition(commit.topic(), commit.partition()), error));
    return answers;
  }

  /** Every committed offset of these groups, read from Postgres. */
  CompletionStage<List<CommittedOffset>> committedOffsets(Collection<String> groupIds) {
    groupIds.forEach(GroupCoordinator::requireGroupId);
    return coordinated(groupIds, () -> Stages.of(offsets.committed(groupIds)));
  }

  /** The partitions of these groups with offsets staged in open transactions. */
  CompletionStage<Set<PendingOffset>> pendingOffsets(Collection<String> groupIds) {
    return Stages.of(transactions.pendingOffsets(groupIds));
  }

  // ---- administration

  /** Each group as it is now; a group neither in memory nor with offsets is reported Dead, as Kafka does. */
  CompletionStage<List<GroupDescription>> describe(List<String> groupIds) {
    return coordinated(groupIds, () -> onContext(() -> {
      Map<String, GroupDescription> live = new HashMap<>();
      for (String groupId : groupIds) {
        ClassicGroup group = groups.get(groupId);
        if (group != null) {
          live.put(groupId, group.describe());
        }
      }
      return CompletableFuture.completedFuture(live);
    }).thenCompose(live -> Stages.of(offsets.groups()).thenApply(withOffsets -> {
      Set<String> stored = Set.copyOf(withOffsets);
      List<GroupDescription> described = new ArrayList<>(groupIds.size());
      for (String groupId : groupIds) {
        GroupDescription group = live.get(groupId);
        if (group == null) {
          group = stored.contains(groupId) ? GroupDescription.empty(groupId)
              : new GroupDescription(groupId, "Dead", "", "", List.of());
        }
        described.add(group);
      }
      return described;
    })));
  }

  @Override
  public String instanceId() {
    return membership.instanceId();
  }

  /**
   * For the operators' views: every group whose lease this instance holds (looked at, not used: reading does not
   * keep a lease), with its state and members, Empty without members when nothing of it is in memory.
   */
  @Override
  public Future<Map<String, LiveKafkaGroup>> coordinatedHere() {
    return Future.fromCompletionStage(onContext(() -> {
      Map<String, LiveKafkaGroup> live = new HashMap<>();
      for (String groupId : leases.held()) {
        if (leases.heldNow(groupId)) {
          ClassicGroup group = groups.get(groupId);
          GroupDescription described = group == null ? GroupDescription.empty(groupId) : group.describe();
          live.put(groupId, new LiveKafkaGroup(described.state(), described.members().size()));
        }
      }
      return CompletableFuture.completedFuture(live);
    }));
  }

  /** Every group with members or committed offsets, by id. */
  CompletionStage<List<GroupDescription>> list() {
    return onContext(() -> {
      List<GroupDescription> live = new ArrayList<>();
      groups.values().forEach(group -> live.add(group.describe()));
      return CompletableFuture.completedFuture(live);
    }).thenCompose(live -> Stages.of(offsets.groups()).thenApply(withOffsets -> {
      Map<String, GroupDescription> all = new TreeMap<>();
      withOffsets.forEach(groupId -> all.put(groupId, GroupDescription.empty(groupId)));
      live.forEach(group -> all.put(group.groupId(), group));
      return List.copyOf(all.values());
    }));
  }

  /**
   * Deletes a group that has no members, with its offsets: NON_EMPTY_GROUP while it has members, GROUP_ID_NOT_FOUND
   * when there is nothing to delete.
   */
  CompletionStage<Errors> delete(String groupId) {
    if (groupId == null || groupId.isEmpty()) {
      return CompletableFuture.completedFuture(Errors.INVALID_GROUP_ID);
    }
    return onGroup(groupId, false, group -> CompletableFuture.completedFuture(group != null && group.hasMembers()))
        .thenCompose(nonEmpty -> nonEmpty ? CompletableFuture.completedFuture(Errors.NON_EMPTY_GROUP)
            : Stages.of(offsets.delete(groupId)).thenApply(had -> had ? Errors.NONE : Errors.GROUP_ID_NOT_FOUND))
        .exceptionally(failure -> {
          if (KafkaErrors.unwrap(failure) instanceof NotCoordinatorException) {
            return Errors.NOT_COORDINATOR;
          }
          throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        });
  }

  /**
   * Kafka's OffsetDelete: forgets the group's committed offsets of {@code partitions} (those it has none of too),
   * except the partitions of topics a live member subscribes to (GROUP_SUBSCRIBED_TO_TOPIC) and of topics or
   * partitions that do not exist (UNKNOWN_TOPIC_OR_PARTITION); answers after the deletion committed.
   *
   * @throws GroupIdNotFoundException (in the stage) for a group with neither members nor committed offsets, or
   *     whose members do not speak the consumer protocol, as Kafka answers
   */
  CompletionStage<Map<TopicPartition, Errors>> deleteOffsets(String groupId, List<TopicPartition> partitions) {
    requireGroupId(groupId);
    Set<String> topics = new LinkedHashSet<>();
    partitions.forEach(partition -> topics.add(partition.topic()));
    return onGroup(groupId, false, group -> {
      if (group == null || !group.hasMembers()) {
        return CompletableFuture.completedFuture(Optional.<Set<String>>empty());
      }
      if (!group.speaksConsumerProtocol()) {
        throw new GroupIdNotFoundException("Group " + groupId + " is not a consumer group.");
      }
      Set<String> subscribed = new HashSet<>();
      topics.stream().filter(group::subscribesTo).forEach(subscribed::add);
      return CompletableFuture.completedFuture(Optional.of(subscribed));
    }).thenCompose(live -> live.isPresent() ? CompletableFuture.completedFuture(live.get())
        : Stages.of(offsets.committed(List.of(groupId))).thenApply(stored -> {
          if (stored.isEmpty()) {
            throw new GroupIdNotFoundException("Group " + groupId + " does not exist.");
          }
          return Set.<String>of();
        })).thenCompose(subscribed -> Stages.of(queues.named(topics)).thenCompose(found -> {
          Map<String, Queue> byName = new HashMap<>();
          found.forEach(queue -> byName.put(queue.name(), queue));
          Map<TopicPartition, Errors> answers = new LinkedHashMap<>();
          List<UUID> deletedQueues = new ArrayList<>();
          List<Integer> deletedPartitions = new ArrayList<>();
          for (TopicPartition partition : partitions) {
            Queue queue = byName.get(partition.topic());
            if (queue == null || partition.partition() < 0 || partition.partition() >= queue.kafkaPartitions()) {
              answers.put(partition, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            } else if (subscribed.contains(partition.topic())) {
              answers.put(partition, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
            } else {
              deletedQueues.add(queue.id());
              deletedPartitions.add(partition.partition());
              answers.put(partition, Errors.NONE);
            }
          }
          return deletedQueues.isEmpty() ? CompletableFuture.completedFuture(answers)
              : Stages.of(offsets.delete(groupId, deletedQueues, deletedPartitions)).thenApply(n -> answers);
        }));
  }

  // ---- running

  private static void requireGroupId(String groupId) {
    if (groupId == null || groupId.isEmpty()) {
      throw new InvalidGroupIdException("a group id must not be empty");
    }
  }

  /**
   * Runs {@code work} on the coordinator's context with the group (created if {@code create}, else null when there
   * is none) once this instance coordinates it (see {@link #coordinated}), then re-arms the group's timer and forgets it once it has no members.
   */
  private <T> CompletionStage<T> onGroup(String groupId, boolean create,
      Function<ClassicGroup, CompletionStage<T>> work) {
    return coordinated(groupId, () -> onContext(() -> {
      ClassicGroup group = create ? groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, config))
          : groups.get(groupId);
      try {
        return work.apply(group);
      } finally {
        if (group != null) {
          settle(group);
        }
      }
    }));
  }

  private <T> CompletionStage<T> onContext(Supplier<CompletionStage<T>> work) {
    CompletableFuture<CompletionStage<T>> ran = new CompletableFuture<>();
    context.runOnContext(ignored -> {
      try {
        ran.complete(work.get());
      } catch (RuntimeException e) {
        ran.completeExceptionally(e);
      }
    });
    return ran.thenCompose(Function.identity());
  }

  private void settle(ClassicGroup group) {
    String groupId = group.groupId();
    Long timer = timers.remove(groupId);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
    if (group.forgettable() && group.state() instanceof GroupState.Empty) {
      groups.remove(groupId, group);
      return;
    }
    long next = group.nextDeadline();
    if (next == Long.MAX_VALUE) {
      return;
    }
    long delay = Math.max(1, next - clock.getAsLong());
    // armed from the coordinator's context, so the timer fires there too
    timers.put(groupId, vertx.setTimer(delay, fired -> {
      timers.remove(groupId);
      ClassicGroup current = groups.get(groupId);
      if (current != null) {
        current.tick(clock.getAsLong());
        settle(current);
      }
    }));
  }
}
