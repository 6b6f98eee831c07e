package dev.queenj.kafka.security;

import dev.queenj.core.auth.ScramCredentials;
import dev.queenj.core.auth.ScramCredentials.Stored;
import io.vertx.core.Future;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * The Kafka users: their SCRAM credentials in Postgres ({@link ScramCredentials}), derived and checked with
 * kafka-clients' own {@link ScramFormatter}, so what is stored is exactly what a Kafka broker would store.
 */
public final class ScramUsers {
  /** Kafka's default iteration count (kafka-configs.sh uses it when the command names none). */
  public static final int DEFAULT_ITERATIONS = 4096;

  private final ScramCredentials store;

  public ScramUsers(ScramCredentials store) {
    this.store = store;
  }

  public ScramCredentials store() {
    return store;
  }

  /** The user's credentials by mechanism; empty for an unknown user. */
  public Future<Map<String, Stored>> credentials(String user) {
    return store.of(user);
  }

  /**
   * Makes sure {@code user} has credentials for {@code password} under both SCRAM mechanisms. A stored credential
   * that already matches the password is left alone, so a restart with the same configuration changes nothing.
   */
  public Future<Void> ensure(String user, String password) {
    return store.of(user).compose(stored -> {
      Future<Void> done = Future.succeededFuture();
      for (ScramMechanism mechanism : ScramMechanism.values()) {
        Stored current = stored.get(mechanism.mechanismName());
        if (current == null || !matches(mechanism, current, password)) {
          Stored fresh = stored(formatter(mechanism).generateCredential(password, DEFAULT_ITERATIONS));
          done = done.compose(previous -> store.put(user, mechanism.mechanismName(), fresh));
        }
      }
      return done;
    });
  }

  /**
   * Whether {@code password} is the one {@code credential} was derived from: the salted password is recomputed with
   * the stored salt and iterations, and its stored key compared in constant time.
   */
  public static boolean matches(ScramMechanism mechanism, Stored credential, String password) {
    try {
      ScramFormatter formatter = formatter(mechanism);
      byte[] salted = formatter.saltedPassword(password, credential.salt(), credential.iterations());
      return MessageDigest.isEqual(formatter.storedKey(formatter.clientKey(salted)), credential.storedKey());
    } catch (InvalidKeyException e) {
      return false;
    }
  }

  /** What an AlterUserScramCredentials upsertion stores: the client sends the salt and the salted password. */
  public static Stored fromSaltedPassword(ScramMechanism mechanism, byte[] salt, byte[] saltedPassword,
      int iterations) {
    return stored(formatter(mechanism).generateCredential(salt, saltedPassword, iterations));
  }

  static ScramCredential credential(Stored stored) {
    return new ScramCredential(stored.salt(), stored.storedKey(), stored.serverKey(), stored.iterations());
  }

  private static Stored stored(ScramCredential credential) {
    return new Stored(credential.salt(), credential.storedKey(), credential.serverKey(), credential.iterations());
  }

  static ScramFormatter formatter(ScramMechanism mechanism) {
    try {
      return new ScramFormatter(mechanism);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(mechanism.hashAlgorithm() + " is not available in this JVM", e);
    }
  }
}
