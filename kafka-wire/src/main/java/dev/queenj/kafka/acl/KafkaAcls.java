package dev.queenj.kafka.acl;

import dev.queenj.core.acl.AclBinding;
import dev.queenj.core.acl.AclOperation;
import dev.queenj.core.acl.AclPermission;
import dev.queenj.core.acl.PatternType;
import dev.queenj.core.acl.ResourceKind;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.utils.SecurityUtils;

/** Kafka's ACL types and ours: the four resource types and two pattern types we store, nothing else. */
final class KafkaAcls {
  /** What ACL hosts are compared with: a client's address as Java prints it (IPv4 dotted, IPv6 hex). */
  private static final Pattern IP_ADDRESS = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

  private KafkaAcls() {}

  /** Ours, or InvalidRequestException saying what cannot be stored (answered per creation, as Kafka does). */
  static AclBinding fromKafka(org.apache.kafka.common.acl.AclBinding acl) {
    if (acl.isUnknown()) {
      throw new InvalidRequestException("Invalid ACL: unknown resource type, pattern type, operation or permission");
    }
    ResourcePattern pattern = acl.pattern();
    ResourceKind kind = switch (pattern.resourceType()) {
      case TOPIC -> ResourceKind.TOPIC;
      case GROUP -> ResourceKind.GROUP;
      case CLUSTER -> ResourceKind.CLUSTER;
      case TRANSACTIONAL_ID -> ResourceKind.TRANSACTIONAL_ID;
      default -> throw new InvalidRequestException("ACLs on " + pattern.resourceType()
          + " resources are not supported here (only TOPIC, GROUP, CLUSTER and TRANSACTIONAL_ID)");
    };
    if (kind == ResourceKind.CLUSTER && !ResourceKind.CLUSTER_NAME.equals(pattern.name())) {
      throw new InvalidRequestException("The only valid name for the CLUSTER resource is "
          + ResourceKind.CLUSTER_NAME);
    }
    PatternType patternType = switch (pattern.patternType()) {
      case LITERAL -> PatternType.LITERAL;
      case PREFIXED -> PatternType.PREFIXED;
      default -> throw new InvalidRequestException("Invalid pattern type " + pattern.patternType()
          + ": ACLs are LITERAL or PREFIXED");
    };
    if (pattern.name() == null || pattern.name().isEmpty()) {
      throw new InvalidRequestException("Resource name should not be empty");
    }
    AccessControlEntry entry = acl.entry();
    KafkaPrincipal principal;
    try {
      principal = SecurityUtils.parseKafkaPrincipal(entry.principal());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("Invalid principal " + entry.principal() + ": expected Type:name");
    }
    if (entry.host() == null || !(entry.host().equals("*") || IP_ADDRESS.matcher(entry.host()).matches())) {
      // a host name would never equal a client's address: a DENY naming one would silently never apply
      throw new InvalidRequestException("Invalid host " + entry.host() + ": use * or a client IP address");
    }
    AclOperation operation;
    AclPermission permission;
    try {
      operation = AclOperation.valueOf(entry.operation().name());
      permission = entry.permissionType() == AclPermissionType.ALLOW ? AclPermission.ALLOW
          : entry.permissionType() == AclPermissionType.DENY ? AclPermission.DENY : null;
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("Invalid operation " + entry.operation());
    }
    if (permission == null) {
      throw new InvalidRequestException("Invalid permission type " + entry.permissionType());
    }
    return new AclBinding(kind, pattern.name(), patternType, principal.toString(), entry.host(), operation,
        permission);
  }

  static org.apache.kafka.common.acl.AclBinding toKafka(AclBinding acl) {
    return new org.apache.kafka.common.acl.AclBinding(
        new ResourcePattern(ResourceType.valueOf(acl.kind().name()), acl.name(),
            org.apache.kafka.common.resource.PatternType.valueOf(acl.pattern().name())),
        new AccessControlEntry(acl.principal(), acl.host(),
            org.apache.kafka.common.acl.AclOperation.valueOf(acl.operation().name()),
            AclPermissionType.valueOf(acl.permission().name())));
  }
}
