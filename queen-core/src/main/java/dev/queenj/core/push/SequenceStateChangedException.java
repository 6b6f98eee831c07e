package dev.queenj.core.push;

/**
 * An append stored nothing because an idempotent producer's state in a log was no longer the one its batches were
 * decided on (a retry raced the original through another connection or instance). Deciding again on the stored
 * state answers it.
 */
final class SequenceStateChangedException extends RuntimeException {
  SequenceStateChangedException() {
    super("a producer's sequence state changed during the append", null, false, false);
  }
}
