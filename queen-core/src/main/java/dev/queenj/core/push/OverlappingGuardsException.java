package dev.queenj.core.push;

/**
 * Two guarded batches of one scope met in one group-committed transaction (a producer's retry on a new connection
 * racing its first attempt). Neither guard would see the other's batch, so the merged write is refused; group commit
 * then writes each batch in a transaction of its own, where the second sees the first.
 */
final class OverlappingGuardsException extends RuntimeException {
  OverlappingGuardsException(String scope) {
    super("two guarded batches of " + scope + " in one transaction", null, false, false);
  }
}
