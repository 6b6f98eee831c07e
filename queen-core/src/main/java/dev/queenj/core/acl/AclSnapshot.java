package dev.queenj.core.acl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, indexed copy of every ACL, which authorization decides against without reading storage. Literal
 * ACLs are found by name; prefixed ones (few, in practice) are scanned.
 */
public final class AclSnapshot {
  public static final AclSnapshot EMPTY = new AclSnapshot(List.of());

  private final List<AclBinding> all;
  private final Map<ResourceKind, Map<String, List<AclBinding>>> literal = new EnumMap<>(ResourceKind.class);
  private final Map<ResourceKind, List<AclBinding>> prefixed = new EnumMap<>(ResourceKind.class);
  private final Map<ResourceKind, List<AclBinding>> byKind = new EnumMap<>(ResourceKind.class);

  public AclSnapshot(Collection<AclBinding> bindings) {
    this.all = List.copyOf(bindings);
    for (AclBinding acl : all) {
      byKind.computeIfAbsent(acl.kind(), k -> new ArrayList<>()).add(acl);
      if (acl.pattern() == PatternType.LITERAL) {
        literal.computeIfAbsent(acl.kind(), k -> new HashMap<>())
            .computeIfAbsent(acl.name(), n -> new ArrayList<>()).add(acl);
      } else {
        prefixed.computeIfAbsent(acl.kind(), k -> new ArrayList<>()).add(acl);
      }
    }
  }

  public List<AclBinding> all() {
    return all;
  }

  /** Every ACL of {@code kind}, whatever its pattern. */
  List<AclBinding> ofKind(ResourceKind kind) {
    return byKind.getOrDefault(kind, List.of());
  }

  /** The ACLs whose pattern covers the resource: its literal name, the literal {@code *}, and matching prefixes. */
  List<AclBinding> covering(ResourceKind kind, String name) {
    List<AclBinding> found = new ArrayList<>();
    Map<String, List<AclBinding>> names = literal.get(kind);
    if (names != null) {
      found.addAll(names.getOrDefault(name, List.of()));
      if (!name.equals(AclBinding.WILDCARD)) {
        found.addAll(names.getOrDefault(AclBinding.WILDCARD, List.of()));
      }
    }
    for (AclBinding acl : prefixed.getOrDefault(kind, List.of())) {
      if (acl.covers(name)) {
        found.add(acl);
      }
    }
    return found;
  }
}
