package dev.queenj.core.acl;

/** How an ACL's resource name matches: the name itself ({@code *} for every resource), or every name it prefixes. */
public enum PatternType {
  LITERAL, PREFIXED
}
