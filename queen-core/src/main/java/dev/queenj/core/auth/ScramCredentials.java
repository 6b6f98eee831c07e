package dev.queenj.core.auth;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka users' SCRAM credentials, kept in Postgres as Kafka keeps them: per user and mechanism (SCRAM-SHA-256,
 * SCRAM-SHA-512) the salt, the iteration count and the keys derived from the salted password; never the password.
 * Deriving and checking them is the Kafka listener's business (kafka-clients' own SCRAM code); this only stores.
 */
public final class ScramCredentials {
  private static final String SELECT_USER = Sql.load(ScramCredentials.class, "scram_credentials_select_user.sql");
  private static final String UPSERT = Sql.load(ScramCredentials.class, "scram_credentials_upsert.sql");
  private static final String DELETE = Sql.load(ScramCredentials.class, "scram_credentials_delete.sql");
  private static final String DESCRIBE = Sql.load(ScramCredentials.class, "scram_credentials_describe.sql");

  /** One stored credential: RFC 5802's salt, iteration count, StoredKey and ServerKey. */
  public record Stored(byte[] salt, byte[] storedKey, byte[] serverKey, int iterations) {}

  /** One stored credential as DescribeUserScramCredentials shows it: never the keys. */
  public record Info(String mechanism, int iterations) {}

  private final Database database;

  public ScramCredentials(Database database) {
    this.database = database;
  }

  /** The user's credentials by mechanism name; empty for an unknown user. */
  public Future<Map<String, Stored>> of(String user) {
    return database.pool().preparedQuery(SELECT_USER).execute(Tuple.of(user)).map(rows -> {
      Map<String, Stored> found = new LinkedHashMap<>();
      for (Row row : rows) {
        found.put(row.getString("mechanism"), new Stored(bytes(row, "salt"), bytes(row, "stored_key"),
            bytes(row, "server_key"), row.getInteger("iterations")));
      }
      return found;
    });
  }

  /** Stores (or replaces) the user's credential for the mechanism. */
  public Future<Void> put(String user, String mechanism, Stored credential) {
    return database.pool().preparedQuery(UPSERT).execute(Tuple.of(user, mechanism,
        Buffer.buffer(credential.salt()), Buffer.buffer(credential.storedKey()), Buffer.buffer(credential.serverKey()),
        credential.iterations())).mapEmpty();
  }

  /** Removes the user's credential for the mechanism; answers whether there was one. */
  public Future<Boolean> remove(String user, String mechanism) {
    return database.pool().preparedQuery(DELETE).execute(Tuple.of(user, mechanism))
        .map(rows -> rows.rowCount() > 0);
  }

  /** Every user with a credential, in name order, with what is stored for them. */
  public Future<Map<String, List<Info>>> describe() {
    return database.pool().query(DESCRIBE).execute().map(rows -> {
      Map<String, List<Info>> users = new LinkedHashMap<>();
      for (Row row : rows) {
        users.computeIfAbsent(row.getString("user_name"), user -> new ArrayList<>())
            .add(new Info(row.getString("mechanism"), row.getInteger("iterations")));
      }
      return users;
    });
  }

  private static byte[] bytes(Row row, String column) {
    return row.getBuffer(column).getBytes();
  }
}
