package dev.queenj.kafka.security;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.auth.ScramCredentials;
import dev.queenj.core.auth.ScramCredentials.Stored;
import dev.queenj.core.testing.TestDatabase;
import java.util.Map;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SCRAM users in Postgres: the administrator from configuration, and what an upsertion stores. */
class ScramUsersTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(2);

  @Test
  void theConfiguredAdministratorIsCreatedOnceAndUpdatedWhenItsPasswordChanges() {
    ScramUsers users = new ScramUsers(new ScramCredentials(db.database()));

    await(users.ensure("admin", "first"));
    Map<String, Stored> created = await(users.credentials("admin"));
    await(users.ensure("admin", "first"));
    Map<String, Stored> restarted = await(users.credentials("admin"));
    await(users.ensure("admin", "second"));
    Map<String, Stored> changed = await(users.credentials("admin"));

    assertThat(created).containsOnlyKeys("SCRAM-SHA-256", "SCRAM-SHA-512");
    assertThat(restarted.get("SCRAM-SHA-512").salt()).as("a restart keeps the credential")
        .isEqualTo(created.get("SCRAM-SHA-512").salt());
    assertThat(changed.get("SCRAM-SHA-512").salt()).isNotEqualTo(created.get("SCRAM-SHA-512").salt());
    for (ScramMechanism mechanism : ScramMechanism.values()) {
      Stored stored = changed.get(mechanism.mechanismName());
      assertThat(stored.iterations()).isEqualTo(ScramUsers.DEFAULT_ITERATIONS);
      assertThat(ScramUsers.matches(mechanism, stored, "second")).isTrue();
      assertThat(ScramUsers.matches(mechanism, stored, "first")).isFalse();
    }
  }

  @Test
  void anUpsertionStoresTheKeysDerivedFromTheClientsSaltedPassword() throws Exception {
    // what the Admin client sends for 'SCRAM-SHA-256=[iterations=8192,password=secret]'
    ScramFormatter formatter = new ScramFormatter(ScramMechanism.SCRAM_SHA_256);
    byte[] salt = formatter.secureRandomBytes();
    byte[] saltedPassword = formatter.saltedPassword("secret", salt, 8192);

    Stored stored = ScramUsers.fromSaltedPassword(ScramMechanism.SCRAM_SHA_256, salt, saltedPassword, 8192);

    assertThat(stored.salt()).isEqualTo(salt);
    assertThat(stored.iterations()).isEqualTo(8192);
    assertThat(stored.storedKey()).isEqualTo(formatter.storedKey(formatter.clientKey(saltedPassword)));
    assertThat(ScramUsers.matches(ScramMechanism.SCRAM_SHA_256, stored, "secret")).isTrue();
  }
}
