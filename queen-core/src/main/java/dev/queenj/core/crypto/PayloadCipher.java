package dev.queenj.core.crypto;

import dev.queenj.core.error.EncryptionException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest of the payloads of queues with {@code encryptionEnabled}: AES-256-GCM through the JDK's
 * {@code javax.crypto}, a random 12-byte IV per message and a 128-bit tag. Stored bytes: IV, then ciphertext and
 * tag as {@code Cipher} produces them. Which key sealed a payload is stored beside it (a {@code *_key_id} column,
 * null for plaintext), so plaintext and ciphertext are never confused and a payload sealed under a key that was
 * rotated out still opens while that key is listed among the old keys.
 *
 * <p>A key's id is derived from the key ({@link #keyIdOf}): the first four bytes of SHA-256 over a fixed label and the
 * key. It names the key without revealing it, stays the same whether the key is current or old, and needs no
 * numbering by the operator.
 */
public final class PayloadCipher {
  /** No key configured: nothing can be sealed, and only plaintext opens. */
  public static final PayloadCipher NONE = new PayloadCipher(null, Map.of());

  static final int KEY_BYTES = 32;
  static final int IV_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final byte[] ID_LABEL = "queen-j payload key".getBytes(StandardCharsets.US_ASCII);

  private final Integer currentId;
  private final Map<Integer, SecretKeySpec> keys;
  private final SecureRandom random = new SecureRandom();

  private PayloadCipher(Integer currentId, Map<Integer, SecretKeySpec> keys) {
    this.currentId = currentId;
    this.keys = keys;
  }

  /**
   * The cipher for a current key and older keys, each 64 hex characters (32 bytes). {@code currentHex} null or blank
   * means no encryption (then there must be no old keys). Throws {@link IllegalArgumentException} with a message naming
   * the setting on a malformed key, or when two keys share an id.
   */
  public static PayloadCipher of(String currentHex, List<String> oldHex) {
    boolean noCurrent = currentHex == null || currentHex.isBlank();
    if (noCurrent) {
      if (!oldHex.isEmpty()) {
        throw new IllegalArgumentException(
            "QUEEN_ENCRYPTION_OLD_KEYS is set but QUEEN_ENCRYPTION_KEY is not: old keys only make sense beside a "
                + "current key");
      }
      return NONE;
    }
    Map<Integer, SecretKeySpec> keys = new LinkedHashMap<>();
    byte[] current = parse(currentHex, "QUEEN_ENCRYPTION_KEY");
    int currentId = keyIdOf(current);
    keys.put(currentId, new SecretKeySpec(current, "AES"));
    for (int i = 0; i < oldHex.size(); i++) {
      byte[] old = parse(oldHex.get(i), "QUEEN_ENCRYPTION_OLD_KEYS entry " + (i + 1));
      SecretKeySpec before = keys.putIfAbsent(keyIdOf(old), new SecretKeySpec(old, "AES"));
      if (before != null && !MessageDigest.isEqual(before.getEncoded(), old)) {
        throw new IllegalArgumentException("QUEEN_ENCRYPTION_OLD_KEYS entry " + (i + 1)
            + " has the same key id as another key; generate a new key");
      }
    }
    return new PayloadCipher(currentId, Collections.unmodifiableMap(keys));
  }

  private static byte[] parse(String hex, String setting) {
    String trimmed = hex.trim();
    if (trimmed.length() != 2 * KEY_BYTES || !trimmed.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException(setting + " must be exactly " + 2 * KEY_BYTES
          + " hexadecimal characters (a 256-bit AES key, e.g. from `openssl rand -hex 32`); got "
          + trimmed.length() + " characters");
    }
    return HexFormat.of().parseHex(trimmed);
  }

  /** The id a key's payloads are stored with. */
  public static int keyIdOf(byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ID_LABEL);
      return ByteBuffer.wrap(sha.digest(key)).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The id as operators see it in logs and errors: eight hex digits. */
  public static String describe(int keyId) {
    return HexFormat.of().toHexDigits(keyId);
  }

  /** Whether a key is configured, so that queues may have encryption enabled. */
  public boolean enabled() {
    return currentId != null;
  }

  /** The id of the current key, which {@link #seal} uses. */
  public int keyId() {
    if (currentId == null) {
      throw new IllegalStateException("no QUEEN_ENCRYPTION_KEY is configured");
    }
    return currentId;
  }

  /** The ids of every configured key, the current one first. */
  public List<Integer> keyIds() {
    return List.copyOf(keys.keySet());
  }

  /**
   * Seals a payload under the current key (its id: {@link #keyId}). Fails with {@link EncryptionException}
   * when no key is configured: an encrypted queue's payload is never stored as plaintext.
   */
  public byte[] seal(byte[] plaintext) {
    if (currentId == null) {
      throw new EncryptionException("the queue has encryption enabled but this server has no "
          + "QUEEN_ENCRYPTION_KEY: the payload was not stored");
    }
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, iv));
      byte[] sealed = new byte[IV_BYTES + cipher.getOutputSize(plaintext.length)];
      System.arraycopy(iv, 0, sealed, 0, IV_BYTES);
      cipher.doFinal(plaintext, 0, plaintext.length, sealed, IV_BYTES);
      return sealed;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is unavailable in this JDK", e);
    }
  }

  /**
   * The plaintext of stored bytes: as they are when {@code keyId} is null (stored unencrypted), else decrypted with
   * that key. Fails with {@link EncryptionException} when the key is not configured or authentication fails.
   */
  public byte[] open(Integer keyId, byte[] stored) {
    if (keyId == null || stored == null) {
      return stored;
    }
    SecretKeySpec key = keys.get(keyId);
    if (key == null) {
      throw new EncryptionException("a stored payload is encrypted with key " + describe(keyId)
          + ", which is neither QUEEN_ENCRYPTION_KEY nor one of QUEEN_ENCRYPTION_OLD_KEYS on this server");
    }
    if (stored.length < IV_BYTES + TAG_BITS / 8) {
      throw new EncryptionException("a stored encrypted payload is truncated (" + stored.length + " bytes)");
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, IV_BYTES));
      return cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
    } catch (AEADBadTagException e) {
      throw new EncryptionException("a stored encrypted payload failed authentication under key "
          + describe(keyId) + ": it was altered, or that key is not the one it was sealed with");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is unavailable in this JDK", e);
    }
  }
}
