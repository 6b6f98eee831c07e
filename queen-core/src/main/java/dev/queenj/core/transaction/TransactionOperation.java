package dev.queenj.core.transaction;

import dev.queenj.core.ack.AckItem;
import dev.queenj.core.push.PushItem;
import java.util.List;

/** One operation of an atomic ack+push transaction. */
public sealed interface TransactionOperation {
  record Ack(AckItem item) implements TransactionOperation {}

  record Push(List<PushItem> items) implements TransactionOperation {}
}
