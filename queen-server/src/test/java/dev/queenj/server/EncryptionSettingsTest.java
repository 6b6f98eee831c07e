package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.crypto.PayloadCipher;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** QUEEN_ENCRYPTION_KEY and QUEEN_ENCRYPTION_OLD_KEYS as read at start-up. */
class EncryptionSettingsTest {
  private static final String KEY = "a".repeat(64);
  private static final String OLD = "b".repeat(64);
  private static final String OLDER = "c".repeat(64);

  @Test
  void offUnlessAKeyIsSet() {
    assertThat(ConfigLoader.load(new String[0], Map.of()).encryption().enabled()).isFalse();
  }

  @Test
  void theKeyAndTheOldKeysAreRead() {
    PayloadCipher cipher = ConfigLoader.load(new String[0],
        Map.of("QUEEN_ENCRYPTION_KEY", KEY, "QUEEN_ENCRYPTION_OLD_KEYS", OLD + " , " + OLDER)).encryption();

    assertThat(cipher.keyIds()).containsExactly(PayloadCipher.keyIdOf(HexFormat.of().parseHex(KEY)),
        PayloadCipher.keyIdOf(HexFormat.of().parseHex(OLD)), PayloadCipher.keyIdOf(HexFormat.of().parseHex(OLDER)));
  }

  @Test
  void anInvalidKeyRefusesStartUpNamingTheSetting() {
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_ENCRYPTION_KEY", "secret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("QUEEN_ENCRYPTION_KEY must be exactly 64 hexadecimal characters");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0],
        Map.of("QUEEN_ENCRYPTION_KEY", KEY, "QUEEN_ENCRYPTION_OLD_KEYS", OLD + ",nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("QUEEN_ENCRYPTION_OLD_KEYS entry 2 must be exactly 64 hexadecimal characters");
  }
}
