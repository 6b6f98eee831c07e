package dev.queenj.core.acl;

import java.util.List;
import java.util.function.Supplier;

/**
 * The authorization decision, as Kafka's StandardAuthorizer makes it, against the current {@link AclSnapshot}: super
 * users may do anything; otherwise a matching DENY refuses, a matching ALLOW (with Kafka's implications, see
 * {@link AclOperation#allows}) grants, and a resource no ACL covers at all is open only if
 * {@code allowEveryoneIfNoAclFound}. Pure: no storage, no clock.
 */
public final class AclPolicy {
  /** No authorizer: everything is allowed. */
  public static final AclPolicy DISABLED = new AclPolicy(AclSettings.DISABLED, () -> AclSnapshot.EMPTY);

  private final AclSettings settings;
  private final Supplier<AclSnapshot> acls;

  public AclPolicy(AclSettings settings, Supplier<AclSnapshot> acls) {
    this.settings = settings;
    this.acls = acls;
  }

  public AclSettings settings() {
    return settings;
  }

  /** Whether ACLs are enforced; when not, every {@code allows} is true. */
  public boolean enabled() {
    return settings.enabled();
  }

  /** Whether {@code principal} ({@code User:alice}) connecting from {@code host} may do {@code operation}. */
  public boolean allows(String principal, String host, AclOperation operation, ResourceKind kind, String name) {
    if (!settings.enabled() || settings.superUsers().contains(principal)) {
      return true;
    }
    List<AclBinding> covering = acls.get().covering(kind, name);
    if (covering.isEmpty()) {
      return settings.allowEveryoneIfNoAclFound();
    }
    boolean allowed = false;
    for (AclBinding acl : covering) {
      if (!acl.appliesTo(principal, host)) {
        continue;
      }
      if (acl.permission() == AclPermission.DENY) {
        if (acl.operation().denies(operation)) {
          return false;
        }
      } else if (acl.operation().allows(operation)) {
        allowed = true;
      }
    }
    return allowed;
  }

  /**
   * Whether {@code principal} may do {@code operation} on at least one resource of {@code kind} (Kafka's
   * {@code authorizeByResourceType}, used where Kafka asks "WRITE on any topic", as for an idempotent producer): some
   * ALLOW pattern exists that no DENY pattern covers entirely.
   */
  public boolean allowsAny(String principal, String host, AclOperation operation, ResourceKind kind) {
    if (!settings.enabled() || settings.superUsers().contains(principal)) {
      return true;
    }
    List<AclBinding> ofKind = acls.get().ofKind(kind);
    if (ofKind.isEmpty()) {
      return settings.allowEveryoneIfNoAclFound();
    }
    List<AclBinding> denies = ofKind.stream().filter(acl -> acl.permission() == AclPermission.DENY
        && acl.appliesTo(principal, host) && acl.operation().denies(operation)).toList();
    for (AclBinding allow : ofKind) {
      if (allow.permission() == AclPermission.ALLOW && allow.appliesTo(principal, host)
          && allow.operation().isOrAll(operation) && !deniedEntirely(allow, denies)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some DENY pattern covers every resource the ALLOW pattern {@code allow} covers. */
  private static boolean deniedEntirely(AclBinding allow, List<AclBinding> denies) {
    for (AclBinding deny : denies) {
      boolean wildcard = deny.pattern() == PatternType.LITERAL && deny.name().equals(AclBinding.WILDCARD);
      boolean prefixOfAllow = deny.pattern() == PatternType.PREFIXED && allow.name().startsWith(deny.name());
      boolean sameLiteral = deny.pattern() == PatternType.LITERAL && allow.pattern() == PatternType.LITERAL
          && deny.name().equals(allow.name());
      if (wildcard || prefixOfAllow || sameLiteral) {
        return true;
      }
    }
    return false;
  }
}
