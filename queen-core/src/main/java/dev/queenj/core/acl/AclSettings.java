package dev.queenj.core.acl;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How requests are authorized, the same for Kafka and HTTP.
 *
 * @param enabled whether ACLs are enforced at all (Kafka's {@code authorizer.class.name} set); off, everything is
 *     allowed and CreateAcls answers SECURITY_DISABLED
 * @param superUsers principals allowed everything (Kafka's {@code super.users})
 * @param allowEveryoneIfNoAclFound whether a resource no ACL names is open to everyone (Kafka's
 *     {@code allow.everyone.if.no.acl.found}); false refuses it to all but super users
 */
public record AclSettings(boolean enabled, Set<String> superUsers, boolean allowEveryoneIfNoAclFound) {
  public static final AclSettings DISABLED = new AclSettings(false, Set.of(), false);

  public AclSettings {
    superUsers = Set.copyOf(superUsers);
    for (String user : superUsers) {
      if (user.indexOf(':') <= 0 || user.endsWith(":")) {
        throw new IllegalArgumentException("QUEEN_KAFKA_SUPER_USERS takes principals like User:alice separated by "
            + "';', got " + user);
      }
    }
  }

  /** Kafka's {@code super.users} syntax: principals separated by semicolons, e.g. {@code User:alice;User:bob}. */
  public static Set<String> parseSuperUsers(String value) {
    return Arrays.stream(value.split(";")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }
}
