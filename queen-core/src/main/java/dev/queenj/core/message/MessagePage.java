package dev.queenj.core.message;

import java.util.List;

/** One page of a message list; {@code hasMore} says whether a next page has something. */
public record MessagePage(List<MessageSummary> messages, boolean hasMore) {}
