package dev.queenj.core.ack;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.GroupCommit;
import io.vertx.core.Future;
import java.util.List;

/** Acknowledgements through group commit: concurrent acks share one transaction. */
public final class AckService {
  public static final int MAX_ITEMS_PER_TRANSACTION = 10_000;

  private final GroupCommit<AckItem, AckOutcome> groupCommit;

  public AckService(Database database, AckWriter writer) {
    this.groupCommit = new GroupCommit<>(
        items -> database.inTransaction(tx -> writer.apply(tx, items, false)), MAX_ITEMS_PER_TRANSACTION);
  }

  public Future<List<AckOutcome>> ack(List<AckItem> items) {
    return groupCommit.submit(items);
  }
}
