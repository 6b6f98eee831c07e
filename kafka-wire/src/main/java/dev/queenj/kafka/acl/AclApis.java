package dev.queenj.kafka.acl;

import dev.queenj.core.acl.AclStore;
import dev.queenj.kafka.api.ApiHandler;
import java.util.List;

/** CreateAcls, DescribeAcls and DeleteAcls (what kafka-acls.sh and Admin's ACL methods use), for the API table. */
public final class AclApis {
  private AclApis() {}

  /** {@code enabled}: whether an authorizer enforces the ACLs; without one the three answer SECURITY_DISABLED. */
  public static List<ApiHandler<?, ?>> over(AclStore store, boolean enabled) {
    return List.of(new CreateAclsHandler(store, enabled), new DescribeAclsHandler(store, enabled),
        new DeleteAclsHandler(store, enabled));
  }
}
