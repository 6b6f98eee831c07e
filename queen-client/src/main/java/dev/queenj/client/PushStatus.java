package dev.queenj.client;

/** What became of a pushed item. */
public enum PushStatus {
  /** Stored; visible to pops. */
  QUEUED,
  /** The partition already holds this transactionId; {@link PushResult#messageId()} is the existing message's. */
  DUPLICATE,
  /** The database was unreachable or push maintenance is on: kept in the server's durable buffer, stored later. */
  BUFFERED;

  static PushStatus of(String wire) {
    return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
  }
}
