package dev.queenj.core.crypto;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up check that a server can serve every encrypted queue: with queues whose {@code encryptionEnabled} is on,
 * a server without {@code QUEEN_ENCRYPTION_KEY} could neither store their payloads nor read them, so it refuses to
 * start rather than fail each request.
 */
public final class EncryptedQueues {
  private static final String SELECT = Sql.load(EncryptedQueues.class, "encrypted_queues_select.sql");
  private static final int NAMED = 5;

  private EncryptedQueues() {}

  /** Succeeds when {@code cipher} has a key or no queue has encryption enabled; else fails naming such queues. */
  public static Future<Void> requireKey(Database database, PayloadCipher cipher) {
    if (cipher.enabled()) {
      return Future.succeededFuture();
    }
    return database.pool().preparedQuery(SELECT).execute(Tuple.of(NAMED + 1)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture();
      }
      List<String> names = new ArrayList<>();
      rows.forEach(row -> names.add(row.getString("name")));
      String listed = names.size() > NAMED ? String.join(", ", names.subList(0, NAMED)) + ", ..."
          : String.join(", ", names);
      return Future.failedFuture(new IllegalStateException("queues with encryptionEnabled exist (" + listed
          + ") but QUEEN_ENCRYPTION_KEY is not set: set it (and QUEEN_ENCRYPTION_OLD_KEYS after a rotation) to the "
          + "key their payloads were stored with"));
    });
  }
}
