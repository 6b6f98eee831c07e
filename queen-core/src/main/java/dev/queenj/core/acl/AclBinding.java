package dev.queenj.core.acl;

import java.util.Objects;

/**
 * One ACL: {@code principal} from {@code host} may (ALLOW) or may not (DENY) perform {@code operation} on the
 * resources {@code name} matches under {@code pattern}.
 *
 * @param principal Kafka's {@code Type:name}, e.g. {@code User:alice}; {@code User:*} is every principal
 * @param host an IP address, or {@code *} for every host
 */
public record AclBinding(ResourceKind kind, String name, PatternType pattern, String principal, String host,
    AclOperation operation, AclPermission permission) {
  public static final String WILDCARD = "*";
  public static final String WILDCARD_PRINCIPAL = "User:*";

  public AclBinding {
    Objects.requireNonNull(kind, "resource type");
    Objects.requireNonNull(name, "resource name");
    Objects.requireNonNull(pattern, "pattern type");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(permission, "permission");
  }

  /** Whether this ACL's resource pattern covers the resource {@code resource} of its kind. */
  boolean covers(String resource) {
    return pattern == PatternType.LITERAL ? name.equals(resource) || name.equals(WILDCARD)
        : resource.startsWith(name);
  }

  boolean appliesTo(String who, String from) {
    return (principal.equals(who) || principal.equals(WILDCARD_PRINCIPAL))
        && (host.equals(WILDCARD) || host.equals(from));
  }
}
