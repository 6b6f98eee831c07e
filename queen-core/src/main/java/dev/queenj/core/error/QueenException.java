package dev.queenj.core.error;

/**
 * The closed set of failures the core reports on purpose. Each protocol maps these onto its own errors in one place;
 * anything else is an internal error.
 */
public abstract sealed class QueenException extends RuntimeException
    permits EncryptionException, InvalidRequestException, NotFoundException, OperationRejectedException,
    OutOfSequenceException, ServiceUnavailableException, StaleEpochException, TransactionRefusedException {

  protected QueenException(String message) {
    super(message, null, false, false);
  }
}
