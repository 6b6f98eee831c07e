package dev.queenj.core.acl;

import java.util.EnumSet;
import java.util.Set;

/** Kafka's ACL operations, with Kafka's implication rules for what an ALLOW grants. */
public enum AclOperation {
  ALL, READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS,
  IDEMPOTENT_WRITE;

  private static final Set<AclOperation> IMPLY_DESCRIBE = EnumSet.of(READ, WRITE, DELETE, ALTER);

  /** Whether an ALLOW of this operation grants {@code requested}: ALL grants everything, READ/WRITE/DELETE/ALTER
   * grant DESCRIBE, ALTER_CONFIGS grants DESCRIBE_CONFIGS. */
  public boolean allows(AclOperation requested) {
    if (this == ALL || this == requested) {
      return true;
    }
    if (requested == DESCRIBE) {
      return IMPLY_DESCRIBE.contains(this);
    }
    return requested == DESCRIBE_CONFIGS && this == ALTER_CONFIGS;
  }

  /** Whether a DENY of this operation refuses {@code requested}: only the operation itself and ALL (as in Kafka). */
  public boolean denies(AclOperation requested) {
    return isOrAll(requested);
  }

  /** This operation is {@code requested} or ALL, with no implication. */
  public boolean isOrAll(AclOperation requested) {
    return this == ALL || this == requested;
  }
}
