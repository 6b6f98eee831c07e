package dev.queenj.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fail-closed: every route a role guards says which Kafka ACLs it needs (or that its role alone guards it). */
class RouteAclsTest {
  @Test
  void everyGuardedRouteHasARow() {
    List<String> guarded = RouteRoles.table().entrySet().stream().filter(row -> row.getValue() != Role.NONE)
        .map(Map.Entry::getKey).toList();
    assertThat(RouteAcls.routes()).containsExactlyInAnyOrderElementsOf(guarded);
  }
}
