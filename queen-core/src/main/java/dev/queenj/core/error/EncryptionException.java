package dev.queenj.core.error;

/**
 * Encryption at rest cannot do what is asked: a stored payload is encrypted and cannot be decrypted (its key is
 * neither {@code QUEEN_ENCRYPTION_KEY} nor one of {@code QUEEN_ENCRYPTION_OLD_KEYS}, or the stored bytes fail GCM
 * authentication: altered, or sealed under another key), or a payload of an encrypted queue is to be stored by a
 * server without a key. Ciphertext is never answered as data, and plaintext is never stored in its place.
 */
public final class EncryptionException extends QueenException {
  public EncryptionException(String message) {
    super(message);
  }
}
