package dev.queenj.core.push;

/**
 * A concurrent append changed what this one was built on, and nothing of it was stored: it placed a new Queen
 * partition in one log while another append, which saw a different Kafka partition count (the queue grew in between),
 * placed it in another and committed first; or another append stored the same client transaction id in the same
 * Queen partition after this one looked. Trying again sees the committed placement or duplicate.
 */
public final class AppendConflictException extends RuntimeException {
  AppendConflictException(String message) {
    super(message, null, false, false);
  }
}
