package dev.queenj.core.pop;

import java.time.OffsetDateTime;

/** Where a consumer group other than queue mode starts reading a queue, decided on its first pop. */
public sealed interface SubscriptionStart {
  /** From the first message ever stored (the default). */
  record All() implements SubscriptionStart {}

  /** Only messages pushed after the group first subscribed. */
  record Now() implements SubscriptionStart {}

  /** From the first message created at or after {@code at} (a future time acts like {@link Now}). */
  record At(OffsetDateTime at) implements SubscriptionStart {}

  String MODE_ALL = "all";
  String MODE_NEW = "new";
  String MODE_TIMESTAMP = "timestamp";
}
