package dev.queenj.core.kafkatxn;

import dev.queenj.core.error.TransactionRefusedException;
import dev.queenj.core.error.TransactionRefusedException.Reason;
import io.vertx.sqlclient.Row;

/** A transactional id's stored row, read under its lock, and Kafka's rules for who may act on it. */
record TransactionRow(String transactionalId, long producerId, short epoch, TxnState state, int timeoutMs) {

  static TransactionRow of(String transactionalId, Row row) {
    return new TransactionRow(transactionalId, row.getLong("producer_id"), row.getShort("producer_epoch"),
        TxnState.of(row.getString("state")), row.getInteger("timeout_ms"));
  }

  /**
   * Refuses a producer that is not this id's current one: another producer id (INVALID_PRODUCER_ID_MAPPING in
   * Kafka), or another epoch (PRODUCER_FENCED: a newer producer took over, or the timeout bumped the epoch).
   */
  void requireProducer(long producerId, short epoch) {
    if (producerId != this.producerId) {
      throw new TransactionRefusedException(Reason.UNKNOWN_PRODUCER, "transactional id " + transactionalId
          + " belongs to producer " + this.producerId + ", not " + producerId);
    }
    if (epoch != this.epoch) {
      throw new TransactionRefusedException(Reason.FENCED, "producer " + producerId + " epoch " + epoch
          + " is fenced: transactional id " + transactionalId + " is at epoch " + this.epoch);
    }
  }

  static TransactionRefusedException unknown(String transactionalId) {
    return new TransactionRefusedException(Reason.UNKNOWN_PRODUCER,
        "transactional id " + transactionalId + " has no producer id: InitProducerId first");
  }
}
