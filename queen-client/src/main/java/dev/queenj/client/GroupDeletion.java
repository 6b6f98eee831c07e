package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer to deleting a consumer group's cursors. */
public record GroupDeletion(String consumerGroup, int deletedPartitions, boolean metadataDeleted) {

  static GroupDeletion of(JsonNode node) {
    return new GroupDeletion(Json.text(node, "consumerGroup"), node.path("deletedPartitions").asInt(),
        node.path("metadataDeleted").asBoolean());
  }
}
