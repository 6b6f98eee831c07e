package dev.queenj.kafka.api;

import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.error.OperationRejectedException;
import dev.queenj.core.error.OutOfSequenceException;
import dev.queenj.core.error.RepeatedErrorLog;
import dev.queenj.core.error.ServiceUnavailableException;
import dev.queenj.core.error.StaleEpochException;
import dev.queenj.core.error.TransactionRefusedException;
import dev.queenj.core.storage.DatabaseUnavailable;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become Kafka error codes: Kafka's own exceptions keep theirs, core errors map by type,
 * anything else is UNKNOWN_SERVER_ERROR with a log line (once a minute for the same failure, with a count of repeats).
 */
public final class KafkaErrors {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaErrors.class);
  /** A client retrying a failing request would otherwise log a stack trace per retry. */
  private static final RepeatedErrorLog FAILURES = new RepeatedErrorLog(LOG, RepeatedErrorLog.DEFAULT_INTERVAL);

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
    if (cause instanceof TransactionRefusedException refused) {
      return transaction(refused.reason());
    }
    if (cause instanceof ServiceUnavailableException || DatabaseUnavailable.is(cause)) {
      return unavailable(context);
    }
    FAILURES.error(context.apiKey().name + ": " + cause, context.describe() + " failed", cause);
    return Errors.UNKNOWN_SERVER_ERROR;
  }

  private static Errors transaction(TransactionRefusedException.Reason reason) {
    switch (reason) {
      case UNKNOWN_PRODUCER:
        return Errors.INVALID_PRODUCER_ID_MAPPING;
      case FENCED:
        return Errors.PRODUCER_FENCED;
      default:
        return Errors.INVALID_TXN_STATE;
    }
  }

  /**
   * The retriable code a client of this API retries on. Group APIs: COORDINATOR_NOT_AVAILABLE, after which the
   * client looks the coordinator up again (consumers treat other codes from OffsetCommit as fatal); the same for the
   * transaction coordinator's APIs. Everything
   * else: KAFKA_STORAGE_ERROR, a retriable code on which producers, consumers and the admin client refresh their
   * metadata and try again, by then perhaps on another instance.
   */
  private static Errors unavailable(RequestContext context) {
    return COORDINATOR_APIS.contains(context.apiKey()) ? Errors.COORDINATOR_NOT_AVAILABLE : Errors.KAFKA_STORAGE_ERROR;
  }

  private static final Set<ApiKeys> COORDINATOR_APIS = EnumSet.of(ApiKeys.FIND_COORDINATOR, ApiKeys.JOIN_GROUP,
      ApiKeys.SYNC_GROUP, ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP, ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH,
      ApiKeys.DESCRIBE_GROUPS, ApiKeys.LIST_GROUPS, ApiKeys.DELETE_GROUPS, ApiKeys.OFFSET_DELETE,
      ApiKeys.TXN_OFFSET_COMMIT, ApiKeys.ADD_PARTITIONS_TO_TXN, ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.END_TXN);

  /**
   * The text to send along with {@code error} (the {@code error_message} field of APIs that have one): what a Kafka
   * exception says, otherwise the code's generic text, so internals never reach a client.
   */
  public static String message(Throwable failure, Errors error) {
    Throwable cause = unwrap(failure);
    boolean explained = cause instanceof ApiException || cause instanceof OutOfSequenceException
        || cause instanceof StaleEpochException || cause instanceof TransactionRefusedException;
    return explained && cause.getMessage() != null ? cause.getMessage() : error.message();
  }

  /** The failure that a stage's CompletionException or a future's ExecutionException carries. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
