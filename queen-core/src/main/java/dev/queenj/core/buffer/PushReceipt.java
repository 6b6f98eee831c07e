package dev.queenj.core.buffer;

import dev.queenj.core.push.PushItem;
import dev.queenj.core.push.PushOutcome;
import java.util.List;

/** How a native push request was taken: committed in Postgres, or fsynced to the outage buffer for later replay. */
public sealed interface PushReceipt {
  /** Committed: one outcome per item, in request order. */
  record Stored(List<PushOutcome> outcomes) implements PushReceipt {}

  /** On disk in the outage buffer: the items in request order, each with the transaction id it will be stored by. */
  record Buffered(List<PushItem> items) implements PushReceipt {}
}
