package dev.queenj.kafka.security;

import dev.queenj.core.auth.ScramCredentials.Stored;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.token.delegation.internals.DelegationTokenCredentialCallback;

/**
 * Answers kafka-clients' SASL servers from one user's credentials, loaded from Postgres before the server is asked
 * (so nothing blocks the event loop): SCRAM gets the stored credential of its mechanism; PLAIN's password is checked
 * against the stored SCRAM credential (SHA-512 if the user has one, else SHA-256), so one user store serves every
 * mechanism. Delegation tokens are not supported: their callback is refused, which fails the authentication.
 */
final class StoredCredentialCallbacks implements CallbackHandler {
  private static final List<ScramMechanism> PLAIN_CHECKED_AGAINST =
      List.of(ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256);

  private final String user;
  private final Map<String, Stored> credentials;
  private final ScramMechanism scram;

  /** For {@code scram}, or PLAIN when it is null. */
  StoredCredentialCallbacks(String user, Map<String, Stored> credentials, ScramMechanism scram) {
    this.user = user;
    this.credentials = credentials;
    this.scram = scram;
  }

  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    String named = user;
    for (Callback callback : callbacks) {
      if (callback instanceof NameCallback name) {
        named = name.getDefaultName();
      } else if (callback instanceof DelegationTokenCredentialCallback) {
        throw new UnsupportedCallbackException(callback, "delegation tokens are not supported");
      } else if (callback instanceof ScramCredentialCallback credential && scram != null) {
        Stored stored = user.equals(named) ? credentials.get(scram.mechanismName()) : null;
        credential.scramCredential(stored == null ? null : ScramUsers.credential(stored));
      } else if (callback instanceof PlainAuthenticateCallback plain && scram == null) {
        plain.authenticated(user.equals(named) && passwordMatches(new String(plain.password())));
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  private boolean passwordMatches(String password) {
    for (ScramMechanism mechanism : PLAIN_CHECKED_AGAINST) {
      Stored stored = credentials.get(mechanism.mechanismName());
      if (stored != null) {
        return ScramUsers.matches(mechanism, stored, password);
      }
    }
    return false;
  }
}
