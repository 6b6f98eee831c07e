package dev.queenj.kafka.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The group state machine on a fake clock: every deadline is reached by moving {@link #now}, never by waiting. */
class ClassicGroupTest {
  private static final int SESSION_MS = 10_000;
  private static final int REBALANCE_MS = 30_000;
  private static final int DELAY_MS = 3_000;

  private final ClassicGroup group = new ClassicGroup("g", new GroupConfig(1, 60_000, DELAY_MS, 4096));
  private long now = 1_000_000;

  @Test
  void aV4MemberGetsItsIdFirstThenJoinsAndLeadsTheFirstGeneration() {
    JoinGroupResponseData first = done(join("", null));
    assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    assertThat(first.memberId()).startsWith("client-");

    CompletableFuture<JoinGroupResponseData> joined = join(first.memberId(), null);
    assertThat(joined).as("waits out the initial rebalance delay").isNotDone();
    assertThat(group.nextDeadline()).isEqualTo(now + DELAY_MS);

    tickAfter(DELAY_MS);
    JoinGroupResponseData answer = done(joined);
    assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
    assertThat(answer.generationId()).isEqualTo(1);
    assertThat(answer.leader()).isEqualTo(first.memberId());
    assertThat(answer.protocolName()).isEqualTo("range");
    assertThat(answer.members()).extracting(JoinGroupResponseMember::memberId).containsExactly(first.memberId());
    assertThat(group.state()).isInstanceOf(GroupState.CompletingRebalance.class);

    SyncGroupResponseData synced = done(sync(first.memberId(), 1, Map.of(first.memberId(), bytes("p0"))));
    assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
    assertThat(synced.assignment()).isEqualTo(bytes("p0"));
    assertThat(group.state()).isInstanceOf(GroupState.Stable.class);
  }

  @Test
  void twoMembersJoiningTogetherLandInOneGenerationAndEachGetsItsOwnAssignment() {
    String a = memberId();
    String b = memberId();
    CompletableFuture<JoinGroupResponseData> joinA = join(a, null);
    now += 1_000;
    CompletableFuture<JoinGroupResponseData> joinB = join(b, null);

    tickAfter(DELAY_MS);
    assertThat(joinA).isDone();
    assertThat(joinB).isDone();
    assertThat(done(joinA).generationId()).isEqualTo(1).isEqualTo(done(joinB).generationId());
    assertThat(done(joinA).members()).hasSize(2);
    assertThat(done(joinB).members()).as("only the leader sees the members").isEmpty();

    CompletableFuture<SyncGroupResponseData> syncB = sync(b, 1, Map.of());
    assertThat(syncB).as("a follower waits for the leader").isNotDone();
    byte[] big = new byte[100_000];
    big[99_999] = 7;
    sync(a, 1, Map.of(a, bytes("a's"), b, big));
    assertThat(done(syncB).assignment()).as("delivered intact").isEqualTo(big);
  }

  @Test
  void aSecondMemberJoiningDuringARebalanceSendsTheFirstBackToRejoinNotToUnknownMember() {
    String a = stableSingleMember();
    // a second member arrives once the first has its generation
    String b = memberId();
    CompletableFuture<JoinGroupResponseData> joinB = join(b, null);
    assertThat(joinB).isNotDone();
    assertThat(group.heartbeat(a, null, 1, now)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

    CompletableFuture<JoinGroupResponseData> rejoinA = join(a, null);
    assertThat(done(rejoinA).generationId()).isEqualTo(2);
    assertThat(done(joinB).generationId()).isEqualTo(2);
    assertThat(Errors.forCode(done(joinB).errorCode())).isEqualTo(Errors.NONE);
  }

  @Test
  void aMemberJoiningWhileAssignmentsArePendingTurnsThePendingSyncIntoRebalanceInProgress() {
    String a = memberId();
    join(a, null);
    tickAfter(DELAY_MS);
    // a follower would wait for the leader here; a is leader and has not synced yet — a new member arrives
    String b = memberId();
    CompletableFuture<JoinGroupResponseData> joinB = join(b, null);
    CompletableFuture<SyncGroupResponseData> syncA = sync(a, 1, Map.of(a, bytes("x")));
    assertThat(Errors.forCode(done(syncA).errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

    CompletableFuture<JoinGroupResponseData> rejoinA = join(a, null);
    assertThat(Errors.forCode(done(rejoinA).errorCode())).isEqualTo(Errors.NONE);
    assertThat(done(joinB).generationId()).isEqualTo(2);
  }

  @Test
  void leavingRebalancesTheRest() {
    String a = memberId();
    String b = memberId();
    join(a, null);
    join(b, null);
    tickAfter(DELAY_MS);
    sync(b, 1, Map.of());
    sync(a, 1, Map.of(a, bytes("a"), b, bytes("b")));

    assertThat(group.leave(b, null, now)).isEqualTo(Errors.NONE);
    assertThat(group.state()).isInstanceOf(GroupState.PreparingRebalance.class);
    assertThat(group.heartbeat(b, null, 1, now)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(group.heartbeat(a, null, 1, now)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    JoinGroupResponseData rejoined = done(join(a, null));
    assertThat(rejoined.generationId()).isEqualTo(2);
    assertThat(rejoined.members()).extracting(JoinGroupResponseMember::memberId).containsExactly(a);

    assertThat(group.leave(a, null, now)).isEqualTo(Errors.NONE);
    assertThat(group.state()).isInstanceOf(GroupState.Empty.class);
    assertThat(group.forgettable()).isTrue();
  }

  @Test
  void aMemberThatStopsHeartbeatingExpiresAndTheOthersRebalanceWithoutIt() {
    String a = memberId();
    String b = memberId();
    join(a, null);
    join(b, null);
    tickAfter(DELAY_MS);
    sync(b, 1, Map.of());
    sync(a, 1, Map.of());

    now += SESSION_MS / 2;
    assertThat(group.heartbeat(a, null, 1, now)).isEqualTo(Errors.NONE);
    tickAfter(SESSION_MS / 2);
    assertThat(group.state()).as("b's session ran out").isInstanceOf(GroupState.PreparingRebalance.class);
    assertThat(group.heartbeat(b, null, 1, now)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    JoinGroupResponseData rejoined = done(join(a, null));
    assertThat(rejoined.generationId()).isEqualTo(2);
    assertThat(rejoined.members()).hasSize(1);
  }

  @Test
  void aMemberThatDoesNotRejoinInTimeIsDroppedFromTheNextGeneration() {
    String a = memberId();
    String b = memberId();
    join(a, null);
    join(b, null);
    tickAfter(DELAY_MS);
    sync(a, 1, Map.of());
    sync(b, 1, Map.of());

    CompletableFuture<JoinGroupResponseData> rejoinA = join(a, null, List.of(new Protocol("range", bytes("v2"))));
    assertThat(rejoinA).isNotDone();
    group.heartbeat(b, null, 1, now + REBALANCE_MS - 1);
    tickAfter(REBALANCE_MS);
    assertThat(done(rejoinA).generationId()).isEqualTo(2);
    assertThat(done(rejoinA).members()).extracting(JoinGroupResponseMember::memberId).containsExactly(a);
  }

  @Test
  void aRestartedStaticMemberTakesItsPlaceWithoutARebalanceAndFencesItsOldSelf() {
    CompletableFuture<JoinGroupResponseData> staticJoin = group.join(request("", "instance-1", true), now);
    String follower = memberId();
    CompletableFuture<JoinGroupResponseData> followerJoin = join(follower, null);
    tickAfter(DELAY_MS);
    String leader = done(staticJoin).memberId();
    assertThat(leader).as("static members skip the two-step join").startsWith("instance-1-");
    assertThat(done(followerJoin).leader()).isEqualTo(leader);
    sync(follower, 1, Map.of());
    sync(leader, 1, Map.of(leader, bytes("mine"), follower, bytes("yours")));

    // the static leader restarts with the same subscription, speaking v9
    JoinGroupResponseData rejoined = done(group.join(request("", "instance-1", true), now));
    assertThat(Errors.forCode(rejoined.errorCode())).isEqualTo(Errors.NONE);
    assertThat(rejoined.memberId()).isNotEqualTo(leader);
    assertThat(rejoined.generationId()).isEqualTo(1);
    assertThat(rejoined.skipAssignment()).isTrue();
    assertThat(group.state()).isInstanceOf(GroupState.Stable.class);
    assertThat(done(sync(rejoined.memberId(), 1, Map.of())).assignment()).isEqualTo(bytes("mine"));
    assertThat(group.heartbeat(leader, "instance-1", 1, now)).isEqualTo(Errors.FENCED_INSTANCE_ID);
    assertThat(group.heartbeat(follower, null, 1, now)).isEqualTo(Errors.NONE);
  }

  @Test
  void aStaticLeaderBeforeV9RebalancesWhenReplaced() {
    CompletableFuture<JoinGroupResponseData> first = group.join(request("", "instance-1", false), now);
    tickAfter(DELAY_MS);
    sync(done(first).memberId(), 1, Map.of());

    CompletableFuture<JoinGroupResponseData> rejoined = group.join(request("", "instance-1", false), now);
    assertThat(done(rejoined).generationId()).isEqualTo(2);
    assertThat(done(rejoined).members()).hasSize(1);
  }

  @Test
  void membersMustShareAProtocolAndTheMajorityPreferenceWins() {
    CompletableFuture<JoinGroupResponseData> joinA =
        join(memberId(), null, List.of(new Protocol("roundrobin", bytes("a")), new Protocol("range", bytes("a"))));
    join(memberId(), null, List.of(new Protocol("range", bytes("b")), new Protocol("roundrobin", bytes("b"))));
    join(memberId(), null, List.of(new Protocol("roundrobin", bytes("c")), new Protocol("range", bytes("c"))));
    JoinGroupResponseData refused = done(join("", null, List.of(new Protocol("sticky", bytes("d")))));
    assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

    tickAfter(DELAY_MS);
    assertThat(done(joinA).protocolName()).isEqualTo("roundrobin");
    assertThat(done(joinA).members()).hasSize(3)
        .allSatisfy(member -> assertThat(member.metadata()).hasSize(1));
  }

  @Test
  void offsetCommitsComeFromTheCurrentGenerationOrFromNobodyWhileTheGroupIsEmpty() {
    assertThat(group.validateOffsetCommit("", null, -1)).isEqualTo(Errors.NONE);
    String a = stableSingleMember();
    assertThat(group.validateOffsetCommit(a, null, 1)).isEqualTo(Errors.NONE);
    assertThat(group.validateOffsetCommit(a, null, 0)).isEqualTo(Errors.ILLEGAL_GENERATION);
    assertThat(group.validateOffsetCommit("stranger", null, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(group.validateOffsetCommit("", null, -1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void describesMembersWithTheirAssignmentsOnceStable() {
    String a = stableSingleMember();
    GroupDescription described = group.describe();
    assertThat(described.state()).isEqualTo("Stable");
    assertThat(described.protocolType()).isEqualTo("consumer");
    assertThat(described.protocolName()).isEqualTo("range");
    assertThat(described.members()).singleElement().satisfies(member -> {
      assertThat(member.memberId()).isEqualTo(a);
      assertThat(member.assignment()).isEqualTo(bytes("p0"));
      assertThat(member.clientHost()).isEqualTo("/127.0.0.1");
    });
  }

  /** The answer, which must be there already: nothing in this test may wait. */
  private static <T> T done(CompletableFuture<T> answer) {
    assertThat(answer).isDone();
    return answer.join();
  }

  private String stableSingleMember() {
    String a = memberId();
    join(a, null);
    tickAfter(DELAY_MS);
    sync(a, 1, Map.of(a, bytes("p0")));
    assertThat(group.state()).isInstanceOf(GroupState.Stable.class);
    return a;
  }

  /** A member id handed out by the two-step join. */
  private String memberId() {
    return done(group.join(request("", null, true), now)).memberId();
  }

  private CompletableFuture<JoinGroupResponseData> join(String memberId, String instanceId) {
    return group.join(request(memberId, instanceId, true), now);
  }

  private CompletableFuture<JoinGroupResponseData> join(String memberId, String instanceId,
      List<Protocol> protocols) {
    return group.join(new JoinRequest(memberId, instanceId, "client", "/127.0.0.1", SESSION_MS, REBALANCE_MS,
        "consumer", protocols, true, true), now);
  }

  private JoinRequest request(String memberId, String instanceId, boolean v9) {
    return new JoinRequest(memberId, instanceId, "client", "/127.0.0.1", SESSION_MS, REBALANCE_MS, "consumer",
        List.of(new Protocol("range", bytes("sub"))), true, v9);
  }

  private CompletableFuture<SyncGroupResponseData> sync(String memberId, int generation,
      Map<String, byte[]> assignments) {
    return group.sync(memberId, null, generation, "consumer", "range", assignments, now);
  }

  private void tickAfter(long millis) {
    now += millis;
    group.tick(now);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
