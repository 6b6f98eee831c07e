package dev.queenj.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One page of {@link QueenClient#deadLetters}: {@code total} counts every match, not just this page. */
public record DlqPage(List<DeadLetter> messages, int limit, int offset, long total) {
  public DlqPage {
    messages = List.copyOf(messages);
  }

  static DlqPage of(JsonNode node) {
    List<DeadLetter> messages = new ArrayList<>();
    node.path("messages").forEach(message -> messages.add(DeadLetter.of(message)));
    JsonNode page = node.path("pagination");
    return new DlqPage(messages, page.path("limit").asInt(), page.path("offset").asInt(), page.path("total").asLong());
  }
}
