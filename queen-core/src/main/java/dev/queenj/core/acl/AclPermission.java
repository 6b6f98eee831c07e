package dev.queenj.core.acl;

/** Whether an ACL grants or refuses. A matching DENY wins over any ALLOW. */
public enum AclPermission {
  ALLOW, DENY
}
