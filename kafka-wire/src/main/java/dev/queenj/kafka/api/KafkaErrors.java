package dev.queenj.kafka.api;

import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.error.OperationRejectedException;
import dev.queenj.core.error.OutOfSequenceException;
import dev.queenj.core.error.ServiceUnavailableException;
import dev.queenj.core.error.StaleEpochException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become Kafka error codes: Kafka's own exceptions keep theirs, core errors map by type,
 * anything else is UNKNOWN_SERVER_ERROR with a log line.
 */
public final class KafkaErrors {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaErrors.class);

  private KafkaErrors() {}

  public static Errors of(Throwable failure, RequestContext context) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ApiException) {
      return Errors.forException(cause);
    }
    if (cause instanceof InvalidRequestException || cause instanceof OperationRejectedException) {
      return Errors.INVALID_REQUEST;
    }
    if (cause instanceof OutOfSequenceException) {
      return Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
    }
    if (cause instanceof StaleEpochException) {
      return Errors.INVALID_PRODUCER_EPOCH;
    }
    if (cause instanceof ServiceUnavailableException) {
      // Retriable: the client refreshes its metadata and tries again, by then perhaps on another instance.
      return Errors.KAFKA_STORAGE_ERROR;
    }
    LOG.error("{} failed", context.describe(), cause);
    return Errors.UNKNOWN_SERVER_ERROR;
  }

  /**
   * The text to send along with {@code error} (the {@code error_message} field of APIs that have one): what a Kafka
   * exception says, otherwise the code's generic text, so internals never reach a client.
   */
  public static String message(Throwable failure, Errors error) {
    Throwable cause = unwrap(failure);
    boolean explained = cause instanceof ApiException || cause instanceof OutOfSequenceException
        || cause instanceof StaleEpochException;
    return explained && cause.getMessage() != null ? cause.getMessage() : error.message();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
