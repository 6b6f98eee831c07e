package dev.queenj.kafka.security;

import dev.queenj.core.auth.ScramCredentials.Stored;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;

/**
 * One SASL authentication of a connection with one mechanism, run by kafka-clients' own server implementations
 * ({@link ScramSaslServer}, {@link PlainSaslServer}). The user is
 * read from the client's first message and their credentials loaded from Postgres before the SASL server sees it,
 * so that the server's synchronous callbacks never wait for storage.
 */
public final class SaslExchange {
  private static final char PLAIN_SEPARATOR = '\u0000';
  private static final int PLAIN_PARTS = 3;

  private final String mechanism;
  private final ScramUsers users;
  private SaslServer server;

  public SaslExchange(String mechanism, ScramUsers users) {
    this.mechanism = mechanism;
    this.users = users;
  }

  public String mechanism() {
    return mechanism;
  }

  /**
   * The server's answer to the client's next token. Fails with a {@link SaslException} (or kafka-clients'
   * {@link org.apache.kafka.common.errors.SaslAuthenticationException}) when the client does not authenticate.
   */
  public CompletionStage<byte[]> evaluate(byte[] token) {
    if (server != null) {
      return evaluated(token);
    }
    String user;
    try {
      user = userOf(token);
    } catch (SaslException e) {
      return CompletableFuture.failedFuture(e);
    }
    return users.credentials(user).toCompletionStage().thenCompose(credentials -> {
      try {
        server = serverFor(user, credentials);
      } catch (NoSuchAlgorithmException e) {
        return CompletableFuture.failedFuture(new SaslException(mechanism + " is not available", e));
      }
      return evaluated(token);
    });
  }

  public boolean complete() {
    return server != null && server.isComplete();
  }

  /** Who authenticated, once {@link #complete()}. */
  public String user() {
    return server.getAuthorizationID();
  }

  private CompletionStage<byte[]> evaluated(byte[] token) {
    try {
      return CompletableFuture.completedFuture(server.evaluateResponse(token));
    } catch (SaslException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private String userOf(byte[] token) throws SaslException {
    if (KafkaSecurity.PLAIN.equals(mechanism)) {
      // authzid NUL authcid NUL password (RFC 4616); PlainSaslServer validates it all again
      String[] parts = new String(token, StandardCharsets.UTF_8).split(String.valueOf(PLAIN_SEPARATOR), -1);
      return parts.length == PLAIN_PARTS ? parts[1] : "";
    }
    return ScramFormatter.username(new ClientFirstMessage(token).saslName());
  }

  private SaslServer serverFor(String user, Map<String, Stored> credentials) throws NoSuchAlgorithmException {
    if (KafkaSecurity.PLAIN.equals(mechanism)) {
      return new PlainSaslServer(new StoredCredentialCallbacks(user, credentials, null));
    }
    ScramMechanism scram = ScramMechanism.forMechanismName(mechanism);
    return new ScramSaslServer(scram, Map.of(), new StoredCredentialCallbacks(user, credentials, scram));
  }
}
