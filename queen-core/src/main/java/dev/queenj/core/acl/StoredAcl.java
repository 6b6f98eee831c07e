package dev.queenj.core.acl;

/** An ACL as stored, with the row id deletions name it by. */
public record StoredAcl(long id, AclBinding binding) {}
