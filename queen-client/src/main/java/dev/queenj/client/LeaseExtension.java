package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The answer to a lease extension; {@code success=false} ("Lease not found", "Lease already expired") is data. */
public record LeaseExtension(String leaseId, boolean success, String error, Instant expiresAt) {

  static LeaseExtension of(JsonNode node) {
    return new LeaseExtension(Json.text(node, "leaseId"), node.path("success").asBoolean(), Json.text(node, "error"),
        Json.instant(node, "expiresAt"));
  }
}
