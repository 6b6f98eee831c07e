package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClients.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Consumer groups through real clients: Admin for listing, describing, offsets and deletion; the group protocol
 * itself (join, sync, heartbeat, leave, commits) with kafka-clients' own request classes over sockets, one connection
 * per member, as KafkaConsumer speaks it.
 */
@ExtendWith(RunningServer.class)
class KafkaConsumerGroupsTest {
  private static final int WAIT_SECONDS = 30;
  private final TestServer server;
  /**
   * Membership lives in the shared server's memory, which no reset empties, and members of an earlier test stay
   * until their sessions expire: each test gets a group of its own.
   */
  private final String group = "billing-" + UUID.randomUUID();

  KafkaConsumerGroupsTest(TestServer server) {
    this.server = server;
  }

  @Test
  void adminCommitsOffsetsWithMetadataAndReadsThemBackThenDeletesTheGroup() throws Exception {
    // given
    push(server, "orders", "customer-1");
    Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(
        new TopicPartition("orders", 0), new OffsetAndMetadata(5, Optional.of(3), "checkpoint ü 0"),
        new TopicPartition("orders", 7), new OffsetAndMetadata(42, Optional.empty(), ""));

    try (Admin admin = KafkaClients.admin(server)) {
      // when
      admin.alterConsumerGroupOffsets(group, offsets).all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // then
      assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(offsets);
      Collection<ConsumerGroupListing> groups = admin.listConsumerGroups().all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(groups).extracting(ConsumerGroupListing::groupId).contains(group);
      ConsumerGroupDescription billing = admin.describeConsumerGroups(List.of(group)).all()
          .get(WAIT_SECONDS, TimeUnit.SECONDS).get(group);
      assertThat(billing.groupState()).isEqualTo(GroupState.EMPTY);
      assertThat(billing.members()).isEmpty();

      // and deleting the group forgets its offsets
      admin.deleteConsumerGroups(List.of(group)).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(admin.listConsumerGroups().all().get(WAIT_SECONDS, TimeUnit.SECONDS))
          .extracting(ConsumerGroupListing::groupId).doesNotContain(group);
      assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
      assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of(group)).all()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)).hasCauseInstanceOf(GroupIdNotFoundException.class);
    }
  }

  @Test
  void deletingOffsetsForgetsThoseOfTopicsNoLiveMemberSubscribesTo() throws Exception {
    // given offsets committed for two topics
    push(server, "orders", "customer-1");
    push(server, "refunds", "customer-1");
    TopicPartition orders0 = new TopicPartition("orders", 0);
    TopicPartition orders1 = new TopicPartition("orders", 1);
    TopicPartition refunds0 = new TopicPartition("refunds", 0);
    TopicPartition nowhere = new TopicPartition("nowhere", 0);
    try (Admin admin = KafkaClients.admin(server)) {
      admin.alterConsumerGroupOffsets(group, Map.of(orders0, new OffsetAndMetadata(5), orders1,
          new OffsetAndMetadata(6), refunds0, new OffsetAndMetadata(7))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // when a live member subscribes to refunds and offsets of both topics are deleted
      try (GroupMemberClient member = new GroupMemberClient(server.kafkaPort(), group, null, List.of("refunds"))) {
        assertThat(Errors.forCode(member.join().errorCode())).isEqualTo(Errors.NONE);
        DeleteConsumerGroupOffsetsResult deleted = admin.deleteConsumerGroupOffsets(group,
            Set.of(orders0, refunds0, nowhere));

        // then only the offsets of the topic nobody subscribes to are gone
        assertThat(deleted.partitionResult(orders0)).succeedsWithin(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(deleted.partitionResult(refunds0)).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS)
            .withThrowableThat().withCauseInstanceOf(GroupSubscribedToTopicException.class);
        assertThat(deleted.partitionResult(nowhere)).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS)
            .withThrowableThat().withCauseInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
            .get(WAIT_SECONDS, TimeUnit.SECONDS)).containsOnlyKeys(orders1, refunds0);
        assertThat(member.leave()).isEqualTo(Errors.NONE);
      }

      // and once the group is empty, refunds' offsets can go too
      admin.deleteConsumerGroupOffsets(group, Set.of(refunds0)).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)).containsOnlyKeys(orders1);
      // a group that does not exist is not found
      assertThat(admin.deleteConsumerGroupOffsets("no-such-" + group, Set.of(orders1)).all())
          .failsWithin(WAIT_SECONDS, TimeUnit.SECONDS).withThrowableThat()
          .withCauseInstanceOf(GroupIdNotFoundException.class);
    }
  }

  @Test
  void committedOffsetsSurviveARestart() throws Exception {
    push(server, "orders", "customer-1");
    TopicPartition partition = new TopicPartition("orders", 3);
    try (Admin admin = KafkaClients.admin(server)) {
      admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(9, "m")))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    try (TestServer restarted = TestServer.start(); Admin admin = KafkaClients.admin(restarted)) {
      assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(Map.of(partition, new OffsetAndMetadata(9, "m")));
    }
  }

  @Test
  void twoMembersJoiningAtOnceFormOneGenerationGetTheirAssignmentsAndCommit() throws Exception {
    push(server, "orders", "customer-1");
    try (GroupMemberClient a = member(null); GroupMemberClient b = member(null); Admin admin = KafkaClients.admin(server)) {
      // when both join at the same moment
      CompletableFuture<JoinGroupResponseData> joinA = CompletableFuture.supplyAsync(a::join);
      CompletableFuture<JoinGroupResponseData> joinB = CompletableFuture.supplyAsync(b::join);
      JoinGroupResponseData answerA = joinA.get(WAIT_SECONDS, TimeUnit.SECONDS);
      JoinGroupResponseData answerB = joinB.get(WAIT_SECONDS, TimeUnit.SECONDS);

      // then one generation, one leader who sees both subscriptions, and nobody was told it is unknown
      assertThat(Errors.forCode(answerA.errorCode())).isEqualTo(Errors.NONE);
      assertThat(Errors.forCode(answerB.errorCode())).isEqualTo(Errors.NONE);
      assertThat(answerA.generationId()).isEqualTo(answerB.generationId()).isEqualTo(1);
      assertThat(answerA.leader()).isEqualTo(answerB.leader()).isIn(a.memberId, b.memberId);
      GroupMemberClient leader = answerA.leader().equals(a.memberId) ? a : b;
      GroupMemberClient follower = leader == a ? b : a;
      assertThat(leader.lastJoin.members()).extracting(JoinGroupResponseMember::memberId)
          .containsExactlyInAnyOrder(a.memberId, b.memberId);
      assertThat(follower.lastJoin.members()).isEmpty();

      // the leader's assignment reaches each member intact
      List<TopicPartition> leaderPartitions = partitions(0, 1, 2, 3);
      List<TopicPartition> followerPartitions = partitions(4, 5, 6, 7);
      CompletableFuture<GroupMemberClient.SyncOutcome> followerSync =
          CompletableFuture.supplyAsync(() -> follower.sync(Map.of()));
      GroupMemberClient.SyncOutcome leaderSync = leader.sync(Map.of(leader.memberId, leaderPartitions,
          follower.memberId, followerPartitions));
      assertThat(leaderSync.partitions()).isEqualTo(leaderPartitions);
      assertThat(followerSync.get(WAIT_SECONDS, TimeUnit.SECONDS).partitions()).isEqualTo(followerPartitions);
      assertThat(a.heartbeat()).isEqualTo(Errors.NONE);

      // Admin sees the stable group with its members and what they were assigned
      ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all()
          .get(WAIT_SECONDS, TimeUnit.SECONDS).get(group);
      assertThat(described.groupState()).isEqualTo(GroupState.STABLE);
      assertThat(described.partitionAssignor()).isEqualTo("range");
      assertThat(described.members()).extracting(MemberDescription::consumerId)
          .containsExactlyInAnyOrder(a.memberId, b.memberId);
      assertThat(described.members()).filteredOn(member -> member.consumerId().equals(follower.memberId))
          .singleElement().satisfies(member ->
              assertThat(member.assignment().topicPartitions()).containsExactlyInAnyOrderElementsOf(followerPartitions));
      assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of(group)).all()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)).hasCauseInstanceOf(GroupNotEmptyException.class);

      // a member of the generation commits with metadata; a stale generation may not
      assertThat(commit(follower, follower.generation, 4, 11, "from the follower")).isEqualTo(Errors.NONE);
      assertThat(commit(follower, follower.generation + 1, 5, 12, "")).isEqualTo(Errors.ILLEGAL_GENERATION);
      assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(WAIT_SECONDS, TimeUnit.SECONDS))
          .isEqualTo(Map.of(new TopicPartition("orders", 4), new OffsetAndMetadata(11, "from the follower")));

      // when the follower leaves, the leader is told to rejoin and forms generation 2 alone
      assertThat(follower.leave()).isEqualTo(Errors.NONE);
      assertThat(leader.heartbeat()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
      JoinGroupResponseData alone = leader.join();
      assertThat(alone.generationId()).isEqualTo(2);
      assertThat(alone.members()).extracting(JoinGroupResponseMember::memberId).containsExactly(leader.memberId);
    }
  }

  @Test
  void aMemberThatStopsHeartbeatingIsRemovedAndTheOthersRebalance() throws Exception {
    push(server, "orders", "customer-1");
    // the silent one asks a short session, which test servers allow, so that its expiry is not waited for long
    try (GroupMemberClient alive = member(null); GroupMemberClient silent = new GroupMemberClient(server.kafkaPort(),
        group, null, List.of("orders"), 3_000)) {
      CompletableFuture<JoinGroupResponseData> joinSilent = CompletableFuture.supplyAsync(silent::join);
      JoinGroupResponseData joined = alive.join();
      joinSilent.get(WAIT_SECONDS, TimeUnit.SECONDS);
      GroupMemberClient leader = joined.leader().equals(alive.memberId) ? alive : silent;
      GroupMemberClient follower = leader == alive ? silent : alive;
      CompletableFuture<GroupMemberClient.SyncOutcome> followerSync =
          CompletableFuture.supplyAsync(() -> follower.sync(Map.of()));
      leader.sync(Map.of());
      followerSync.get(WAIT_SECONDS, TimeUnit.SECONDS);

      // when only one of them keeps heartbeating, once a second, as a consumer's heartbeat thread does
      Errors firstNotOk = heartbeatUntilNotOk(alive);

      // then the silent one's session expired and the other must rejoin, alone
      assertThat(firstNotOk).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
      JoinGroupResponseData rejoined = alive.join();
      assertThat(rejoined.generationId()).isEqualTo(2);
      assertThat(rejoined.members()).extracting(JoinGroupResponseMember::memberId).containsExactly(alive.memberId);
      assertThat(silent.heartbeat()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }
  }

  @Test
  void aRestartedStaticMemberTakesOverWithoutARebalanceAndItsOldSelfIsFenced() throws Exception {
    push(server, "orders", "customer-1");
    try (GroupMemberClient first = member("instance-1")) {
      JoinGroupResponseData joined = first.join();
      assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
      assertThat(first.sync(Map.of(first.memberId, partitions(0, 1))).partitions()).isEqualTo(partitions(0, 1));

      try (GroupMemberClient restarted = member("instance-1")) {
        JoinGroupResponseData rejoined = restarted.join();
        assertThat(Errors.forCode(rejoined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(rejoined.generationId()).as("no rebalance").isEqualTo(1);
        assertThat(rejoined.skipAssignment()).isTrue();
        assertThat(restarted.sync(Map.of()).partitions()).as("its old assignment").isEqualTo(partitions(0, 1));
        assertThat(first.heartbeat()).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(restarted.heartbeat()).isEqualTo(Errors.NONE);
      }
    }
  }

  @Test
  void aSimpleCommitIsRefusedWhileTheGroupHasMembers() {
    push(server, "orders", "customer-1");
    try (GroupMemberClient a = member(null); GroupMemberClient outsider = member(null)) {
      a.join();
      a.sync(Map.of());
      assertThat(commit(outsider, -1, 0, 1, "")).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
      assertThat(commit(a, a.generation, 99, 1, "")).as("no such partition")
          .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }
  }

  private GroupMemberClient member(String groupInstanceId) {
    return new GroupMemberClient(server.kafkaPort(), group, groupInstanceId, List.of("orders"));
  }

  private static List<TopicPartition> partitions(int... indexes) {
    return Arrays.stream(indexes).mapToObj(i -> new TopicPartition("orders", i)).toList();
  }

  private Errors commit(GroupMemberClient member, int generation, int partition, long offset,
      String metadata) {
    OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group)
        .setMemberId(generation < 0 ? "" : member.memberId).setGenerationIdOrMemberEpoch(generation);
    request.topics().add(new OffsetCommitRequestTopic().setName("orders").setPartitions(List.of(
        new OffsetCommitRequestPartition().setPartitionIndex(partition).setCommittedOffset(offset)
            .setCommittedMetadata(metadata))));
    OffsetCommitResponse response = member.connection().roundTrip(
        OffsetCommitRequest.Builder.forTopicNames(request).build((short) 9));
    return Errors.forCode(response.data().topics().get(0).partitions().get(0).errorCode());
  }

  /** Heartbeats once a second on a timer (no sleeping test thread) until the answer is not NONE. */
  private static Errors heartbeatUntilNotOk(GroupMemberClient member) throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      CompletableFuture<Errors> notOk = new CompletableFuture<>();
      timer.scheduleAtFixedRate(() -> {
        try {
          Errors error = member.heartbeat();
          if (error != Errors.NONE) {
            notOk.complete(error);
            throw new IllegalStateException("stop heartbeating");
          }
        } catch (RuntimeException e) {
          notOk.complete(Errors.UNKNOWN_SERVER_ERROR);
          throw e;
        }
      }, 0, 1, TimeUnit.SECONDS);
      return notOk.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } finally {
      timer.shutdownNow();
    }
  }
}
