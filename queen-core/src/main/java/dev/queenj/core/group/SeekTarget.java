package dev.queenj.core.group;

import java.time.OffsetDateTime;

/** Where a seek moves a group's cursors. */
public sealed interface SeekTarget {
  /** Past the newest message: the group skips everything stored so far. */
  record End() implements SeekTarget {}

  /** Before the first message created at or after {@code at}: those messages are delivered (again). */
  record Time(OffsetDateTime at) implements SeekTarget {}
}
