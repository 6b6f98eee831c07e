package dev.queenj.core.push;

import java.util.List;

/** Items that are appended only if {@code guard} admits them, all or none. */
public record GuardedPush(List<PushItem> items, AppendGuard guard) {}
