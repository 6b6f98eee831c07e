package dev.queenj.core.error;

/**
 * A stored payload is encrypted and cannot be decrypted: its key is not configured (neither
 * {@code QUEEN_ENCRYPTION_KEY} nor one of {@code QUEEN_ENCRYPTION_OLD_KEYS}), or the stored bytes fail GCM
 * authentication (altered, or sealed under another key with the same id). The ciphertext is never answered as data.
 */
public final class PayloadUnreadableException extends QueenException {
  public PayloadUnreadableException(String message) {
    super(message);
  }
}
