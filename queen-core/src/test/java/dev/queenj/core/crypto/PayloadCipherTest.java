package dev.queenj.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.error.EncryptionException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadCipherTest {
  static final String KEY_A = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  static final String KEY_B = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
  private static final byte[] PLAIN = "{\"card\":\"4111 1111 1111 1111\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void sealsWithARandomIvAndOpensBackToThePlaintext() {
    PayloadCipher cipher = PayloadCipher.of(KEY_A, List.of());

    byte[] once = cipher.seal(PLAIN);
    byte[] twice = cipher.seal(PLAIN);

    assertThat(once).hasSize(PayloadCipher.IV_BYTES + PLAIN.length + PayloadCipher.TAG_BITS / 8);
    assertThat(once).isNotEqualTo(twice);
    assertThat(new String(once, StandardCharsets.ISO_8859_1)).doesNotContain("4111");
    assertThat(cipher.open(cipher.keyId(), once)).isEqualTo(PLAIN);
    assertThat(cipher.open(cipher.keyId(), twice)).isEqualTo(PLAIN);
    assertThat(cipher.open(cipher.keyId(), cipher.seal(new byte[0]))).isEmpty();
  }

  @Test
  void bytesStoredWithoutAKeyIdAreAnsweredAsTheyAre() {
    assertThat(PayloadCipher.NONE.open(null, PLAIN)).isSameAs(PLAIN);
    assertThat(PayloadCipher.of(KEY_A, List.of()).open(null, PLAIN)).isSameAs(PLAIN);
  }

  @Test
  void everyAlteredByteFailsAuthenticationInsteadOfAnsweringGarbage() {
    PayloadCipher cipher = PayloadCipher.of(KEY_A, List.of());
    byte[] sealed = cipher.seal(PLAIN);
    for (int at : new int[] {0, PayloadCipher.IV_BYTES, sealed.length - 1}) {
      byte[] altered = sealed.clone();
      altered[at] ^= 1;
      assertThatThrownBy(() -> cipher.open(cipher.keyId(), altered))
          .isInstanceOf(EncryptionException.class).hasMessageContaining("failed authentication");
    }
    assertThatThrownBy(() -> cipher.open(cipher.keyId(), new byte[5]))
        .isInstanceOf(EncryptionException.class).hasMessageContaining("truncated");
  }

  @Test
  void anOldKeyStillOpensWhatItSealedAfterRotation() {
    PayloadCipher before = PayloadCipher.of(KEY_A, List.of());
    byte[] sealedBefore = before.seal(PLAIN);

    PayloadCipher rotated = PayloadCipher.of(KEY_B, List.of(KEY_A));

    assertThat(rotated.keyId()).isNotEqualTo(before.keyId());
    assertThat(rotated.keyIds()).containsExactly(rotated.keyId(), before.keyId());
    assertThat(rotated.open(before.keyId(), sealedBefore)).isEqualTo(PLAIN);
    assertThat(rotated.open(rotated.keyId(), rotated.seal(PLAIN))).isEqualTo(PLAIN);
  }

  @Test
  void aKeyNotConfiguredIsNamedByItsId() {
    PayloadCipher before = PayloadCipher.of(KEY_A, List.of());
    byte[] sealed = before.seal(PLAIN);
    PayloadCipher oldKeyDropped = PayloadCipher.of(KEY_B, List.of());

    assertThatThrownBy(() -> oldKeyDropped.open(before.keyId(), sealed))
        .isInstanceOf(EncryptionException.class)
        .hasMessageContaining(PayloadCipher.describe(before.keyId()))
        .hasMessageContaining("QUEEN_ENCRYPTION_OLD_KEYS");
    assertThatThrownBy(() -> PayloadCipher.NONE.open(before.keyId(), sealed))
        .isInstanceOf(EncryptionException.class);
  }

  @Test
  void theKeyIdIsDerivedFromTheKeyAloneSoItSurvivesBeingMovedToTheOldKeys() {
    int id = PayloadCipher.of(KEY_A, List.of()).keyId();

    assertThat(PayloadCipher.keyIdOf(HexFormat.of().parseHex(KEY_A))).isEqualTo(id);
    assertThat(PayloadCipher.of(KEY_A.toUpperCase(), List.of()).keyId()).isEqualTo(id);
    assertThat(PayloadCipher.of(KEY_B, List.of(KEY_A)).keyIds()).contains(id);
  }

  @Test
  void malformedKeysAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> PayloadCipher.of(KEY_A.substring(1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("QUEEN_ENCRYPTION_KEY must be exactly 64 hexadecimal characters")
        .hasMessageContaining("got 63");
    assertThatThrownBy(() -> PayloadCipher.of("z" + KEY_A.substring(1), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUEEN_ENCRYPTION_KEY");
    assertThatThrownBy(() -> PayloadCipher.of(KEY_A, List.of(KEY_B, "abc")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUEEN_ENCRYPTION_OLD_KEYS entry 2");
    assertThatThrownBy(() -> PayloadCipher.of("", List.of(KEY_A)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUEEN_ENCRYPTION_KEY is not");
  }

  @Test
  void withoutAKeyNothingIsSealed() {
    assertThat(PayloadCipher.of(null, List.of())).isSameAs(PayloadCipher.NONE);
    assertThat(PayloadCipher.of("  ", List.of()).enabled()).isFalse();
    assertThatThrownBy(() -> PayloadCipher.NONE.seal(PLAIN)).isInstanceOf(EncryptionException.class)
        .hasMessageContaining("QUEEN_ENCRYPTION_KEY");
  }
}
