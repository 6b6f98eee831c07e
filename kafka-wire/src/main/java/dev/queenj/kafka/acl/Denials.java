package dev.queenj.kafka.acl;

import dev.queenj.core.acl.AclOperation;
import dev.queenj.core.acl.ResourceKind;
import dev.queenj.kafka.api.Admission;
import dev.queenj.kafka.api.RequestContext;
import java.util.Collection;
import org.apache.kafka.common.protocol.Errors;

/** Whole-request checks: the first resource the principal may not use refuses the request with Kafka's code. */
final class Denials {
  private Denials() {}

  /** Kafka's authorization error for a resource of {@code kind}. */
  static Errors errorFor(ResourceKind kind) {
    switch (kind) {
      case TOPIC:
        return Errors.TOPIC_AUTHORIZATION_FAILED;
      case GROUP:
        return Errors.GROUP_AUTHORIZATION_FAILED;
      case TRANSACTIONAL_ID:
        return Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
      default:
        return Errors.CLUSTER_AUTHORIZATION_FAILED;
    }
  }

  static Admission require(RequestContext context, AclOperation operation, ResourceKind kind, String name) {
    return name == null || context.allowed(operation, kind, name) ? Admission.ADMITTED
        : Admission.refused(errorFor(kind));
  }

  static Admission requireAll(RequestContext context, AclOperation operation, ResourceKind kind,
      Collection<String> names) {
    for (String name : names) {
      Admission admission = require(context, operation, kind, name);
      if (admission != Admission.ADMITTED) {
        return admission;
      }
    }
    return Admission.ADMITTED;
  }

  static Admission cluster(RequestContext context, AclOperation operation) {
    return require(context, operation, ResourceKind.CLUSTER, ResourceKind.CLUSTER_NAME);
  }

  /** The first refusal of {@code checks}, in order, or admitted. */
  static Admission first(Admission... checks) {
    for (Admission check : checks) {
      if (check != Admission.ADMITTED) {
        return check;
      }
    }
    return Admission.ADMITTED;
  }
}
