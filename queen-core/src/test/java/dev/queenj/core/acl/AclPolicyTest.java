package dev.queenj.core.acl;

import static dev.queenj.core.acl.AclOperation.ALL;
import static dev.queenj.core.acl.AclOperation.ALTER_CONFIGS;
import static dev.queenj.core.acl.AclOperation.CREATE;
import static dev.queenj.core.acl.AclOperation.DELETE;
import static dev.queenj.core.acl.AclOperation.DESCRIBE;
import static dev.queenj.core.acl.AclOperation.DESCRIBE_CONFIGS;
import static dev.queenj.core.acl.AclOperation.READ;
import static dev.queenj.core.acl.AclOperation.WRITE;
import static dev.queenj.core.acl.AclPermission.ALLOW;
import static dev.queenj.core.acl.AclPermission.DENY;
import static dev.queenj.core.acl.PatternType.LITERAL;
import static dev.queenj.core.acl.PatternType.PREFIXED;
import static dev.queenj.core.acl.ResourceKind.GROUP;
import static dev.queenj.core.acl.ResourceKind.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The decision rules of Kafka's StandardAuthorizer, without storage. */
class AclPolicyTest {
  private static final String ALICE = "User:alice";
  private static final String BOB = "User:bob";
  private static final String HOST = "10.0.0.1";

  private static AclPolicy policy(boolean allowIfNoAcl, Set<String> superUsers, AclBinding... acls) {
    AclSnapshot snapshot = new AclSnapshot(List.of(acls));
    return new AclPolicy(new AclSettings(true, superUsers, allowIfNoAcl), () -> snapshot);
  }

  private static AclPolicy policy(AclBinding... acls) {
    return policy(false, Set.of(), acls);
  }

  private static AclBinding acl(ResourceKind kind, String name, PatternType pattern, String principal,
      AclOperation operation, AclPermission permission) {
    return new AclBinding(kind, name, pattern, principal, "*", operation, permission);
  }

  @Test
  void disabledAllowsEverything() {
    AclPolicy off = new AclPolicy(AclSettings.DISABLED, () -> AclSnapshot.EMPTY);
    assertThat(off.allows(ALICE, HOST, WRITE, TOPIC, "t")).isTrue();
  }

  @Test
  void literalMatchesOnlyItsNameAndPrefixedEveryNameItPrefixes() {
    AclPolicy policy = policy(acl(TOPIC, "orders", LITERAL, ALICE, READ, ALLOW),
        acl(TOPIC, "pay-", PREFIXED, ALICE, READ, ALLOW));
    assertThat(policy.allows(ALICE, HOST, READ, TOPIC, "orders")).isTrue();
    assertThat(policy.allows(ALICE, HOST, READ, TOPIC, "orders2")).isFalse();
    assertThat(policy.allows(ALICE, HOST, READ, TOPIC, "pay-in")).isTrue();
    assertThat(policy.allows(ALICE, HOST, READ, TOPIC, "pay")).isFalse();
    assertThat(policy.allows(ALICE, HOST, READ, GROUP, "orders")).as("another resource type").isFalse();
    assertThat(policy.allows(BOB, HOST, READ, TOPIC, "orders")).as("another principal").isFalse();
  }

  @Test
  void denyWinsOverAllow() {
    AclPolicy policy = policy(acl(TOPIC, "*", LITERAL, "User:*", ALL, ALLOW),
        acl(TOPIC, "secret", PREFIXED, ALICE, READ, DENY));
    assertThat(policy.allows(ALICE, HOST, READ, TOPIC, "secret-1")).isFalse();
    assertThat(policy.allows(ALICE, HOST, WRITE, TOPIC, "secret-1")).as("a DENY refuses only its operation").isTrue();
    assertThat(policy.allows(BOB, HOST, READ, TOPIC, "secret-1")).isTrue();
    assertThat(policy(acl(TOPIC, "t", LITERAL, ALICE, READ, ALLOW), acl(TOPIC, "t", LITERAL, ALICE, ALL, DENY))
        .allows(ALICE, HOST, READ, TOPIC, "t")).as("DENY ALL").isFalse();
  }

  @Test
  void describeIsImpliedByReadWriteDeleteAlterAndDescribeConfigsByAlterConfigs() {
    for (AclOperation implying : List.of(READ, WRITE, DELETE, AclOperation.ALTER)) {
      assertThat(policy(acl(TOPIC, "t", LITERAL, ALICE, implying, ALLOW)).allows(ALICE, HOST, DESCRIBE, TOPIC, "t"))
          .as(implying + " implies DESCRIBE").isTrue();
    }
    assertThat(policy(acl(TOPIC, "t", LITERAL, ALICE, CREATE, ALLOW)).allows(ALICE, HOST, DESCRIBE, TOPIC, "t"))
        .as("CREATE does not imply DESCRIBE").isFalse();
    assertThat(policy(acl(TOPIC, "t", LITERAL, ALICE, ALTER_CONFIGS, ALLOW))
        .allows(ALICE, HOST, DESCRIBE_CONFIGS, TOPIC, "t")).isTrue();
    assertThat(policy(acl(TOPIC, "t", LITERAL, ALICE, READ, ALLOW)).allows(ALICE, HOST, WRITE, TOPIC, "t")).isFalse();
    assertThat(policy(acl(TOPIC, "t", LITERAL, ALICE, READ, ALLOW), acl(TOPIC, "t", LITERAL, ALICE, READ, DENY))
        .allows(ALICE, HOST, DESCRIBE, TOPIC, "t")).as("a DENY of READ does not deny DESCRIBE").isTrue();
  }

  @Test
  void wildcardPrincipalAndWildcardResource() {
    AclPolicy policy = policy(acl(TOPIC, "*", LITERAL, "User:*", WRITE, ALLOW));
    assertThat(policy.allows(ALICE, HOST, WRITE, TOPIC, "any")).isTrue();
    assertThat(policy.allows("User:ANONYMOUS", HOST, WRITE, TOPIC, "other")).isTrue();
    assertThat(policy.allows(ALICE, HOST, READ, TOPIC, "any")).isFalse();
  }

  @Test
  void superUsersBypassEvenDenies() {
    AclPolicy policy = policy(false, Set.of(ALICE), acl(TOPIC, "t", LITERAL, ALICE, ALL, DENY));
    assertThat(policy.allows(ALICE, HOST, READ, TOPIC, "t")).isTrue();
    assertThat(policy.allows(BOB, HOST, READ, TOPIC, "t")).isFalse();
  }

  @Test
  void aResourceNoAclCoversIsOpenOnlyIfAllowEveryoneIfNoAclFound() {
    AclBinding other = acl(TOPIC, "t", LITERAL, BOB, READ, ALLOW);
    assertThat(policy(false, Set.of(), other).allows(ALICE, HOST, READ, TOPIC, "free")).isFalse();
    assertThat(policy(true, Set.of(), other).allows(ALICE, HOST, READ, TOPIC, "free")).isTrue();
    assertThat(policy(true, Set.of(), other).allows(ALICE, HOST, READ, TOPIC, "t"))
        .as("an ACL on the resource, for someone else, closes it").isFalse();
  }

  @Test
  void hostsMatchExactlyOrByWildcard() {
    AclPolicy policy = policy(new AclBinding(TOPIC, "t", LITERAL, ALICE, "10.0.0.1", READ, ALLOW));
    assertThat(policy.allows(ALICE, "10.0.0.1", READ, TOPIC, "t")).isTrue();
    assertThat(policy.allows(ALICE, "10.0.0.2", READ, TOPIC, "t")).isFalse();
  }

  @Test
  void anyResourceOfAKindUnlessEveryAllowIsCoveredByADeny() {
    assertThat(policy(acl(TOPIC, "t", LITERAL, ALICE, WRITE, ALLOW)).allowsAny(ALICE, HOST, WRITE, TOPIC)).isTrue();
    assertThat(policy(acl(TOPIC, "t", LITERAL, ALICE, READ, ALLOW)).allowsAny(ALICE, HOST, WRITE, TOPIC)).isFalse();
    assertThat(policy(acl(TOPIC, "pay-in", LITERAL, ALICE, WRITE, ALLOW),
        acl(TOPIC, "pay-", PREFIXED, ALICE, WRITE, DENY)).allowsAny(ALICE, HOST, WRITE, TOPIC)).isFalse();
    assertThat(policy(acl(TOPIC, "pay-", PREFIXED, ALICE, WRITE, ALLOW),
        acl(TOPIC, "pay-in", LITERAL, ALICE, WRITE, DENY)).allowsAny(ALICE, HOST, WRITE, TOPIC)).isTrue();
  }

  @Test
  void superUsersAreKafkaPrincipals() {
    assertThat(AclSettings.parseSuperUsers(" User:alice; User:bob;")).containsExactlyInAnyOrder(ALICE, BOB);
    assertThatThrownBy(() -> new AclSettings(true, Set.of("alice"), false))
        .hasMessageContaining("QUEEN_KAFKA_SUPER_USERS");
  }
}
