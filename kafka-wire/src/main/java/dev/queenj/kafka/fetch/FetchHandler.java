package dev.queenj.kafka.fetch;

import dev.queenj.core.error.RepeatedErrorLog;
import dev.queenj.core.log.LogAppend;
import dev.queenj.core.log.LogPosition;
import dev.queenj.core.log.LogReader;
import dev.queenj.core.log.LogRecord;
import dev.queenj.core.log.LogSlice;
import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.stats.ThroughputCounters;
import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.Stages;
import dev.queenj.kafka.api.SupportedApi;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.slf4j.LoggerFactory;

/**
 * Fetch (key 1), v4–12, without fetch sessions: every answer carries session id 0, which tells the client to send
 * full requests. The requested partitions are read through the messages primary key, a few statements at once
 * ({@link LogReader}), from the requested offset (never from a stored batch's start: batches are re-encoded per
 * fetch), within partition_max_bytes and then max_bytes, with at least one record even if it is larger. The high
 * watermark is the log head's next offset and the last stable offset equals it (no transactions); an offset below
 * the log start or above the high watermark is OFFSET_OUT_OF_RANGE.
 *
 * <p>When fewer than min_bytes are available the request parks until an append to one of its queues or max_wait_ms
 * ({@link FetchWait}); partitions in error answer at once. A consumer waiting at a partition's end is answered from
 * the records the append committed, as a read would answer them, without reading them back.
 */
public final class FetchHandler implements ApiHandler<FetchRequestData, FetchResponseData> {
  private static final SupportedApi<FetchRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.FETCH, 4, 12, FetchRequestData.class);
  private static final int NO_SESSION = 0;
  /** Encrypted values this server cannot decrypt: a consumer stuck on one would log a line per fetch. */
  private static final RepeatedErrorLog UNREADABLE = new RepeatedErrorLog(
      LoggerFactory.getLogger(FetchHandler.class), RepeatedErrorLog.DEFAULT_INTERVAL);
  private static final long UNKNOWN = -1;

  private final Vertx vertx;
  private final LogReader log;
  private final AppendSignal signal;
  private final ThroughputCounters counters;
  private final ParkedFetches parked;

  /**
   * {@code counters} count the records each answer returns as popped: one update per partition answered records;
   * {@code parked} counts the fetches waiting for records.
   */
  public FetchHandler(Vertx vertx, LogReader log, AppendSignal signal, ThroughputCounters counters,
      ParkedFetches parked) {
    this.vertx = vertx;
    this.log = log;
    this.signal = signal;
    this.counters = counters;
    this.parked = parked;
  }

  @Override
  public SupportedApi<FetchRequestData> supported() {
    return SUPPORTED;
  }

  /** One requested partition. */
  private record Wanted(String topic, int partition, long offset) {}

  /** A Fetch waits up to its {@code max_wait_ms} for records to arrive. */
  @Override
  public long heldMs(FetchRequestData request) {
    return Math.max(0, request.maxWaitMs());
  }

  @Override
  public CompletionStage<FetchResponseData> handle(RequestContext context, FetchRequestData request) {
    List<Wanted> wanted = new ArrayList<>();
    List<LogPosition> positions = new ArrayList<>();
    Set<String> queues = new LinkedHashSet<>();
    for (FetchTopic topic : request.topics()) {
      queues.add(topic.topic());
      for (FetchPartition partition : topic.partitions()) {
        wanted.add(new Wanted(topic.topic(), partition.partition(), partition.fetchOffset()));
        positions.add(new LogPosition(topic.topic(), partition.partition(), partition.fetchOffset(),
            Math.max(0, partition.partitionMaxBytes())));
      }
    }
    if (positions.isEmpty()) {
      return CompletableFuture.completedFuture(answer(wanted, List.of(), request.maxBytes(), counters));
    }
    CompletionStage<List<LogSlice>> slices;
    if (request.maxWaitMs() <= 0 || request.minBytes() <= 0) {
      slices = Stages.of(log.read(positions));
    } else {
      parked.parked();
      try {
        slices = FetchWait.start(vertx, signal, queues, request.maxWaitMs(), () -> Stages.of(log.read(positions)),
            (known, appends) -> extended(positions, known, appends),
            found -> answersAtOnce(wanted, found, request.minBytes()))
            .whenComplete((found, failure) -> parked.answered());
      } catch (RuntimeException e) {
        parked.answered();
        throw e;
      }
    }
    return slices.thenApply(found -> answer(wanted, found, request.maxBytes(), counters));
  }

  /**
   * The slices a read would find now, from the {@code known} ones and the appends committed since: each append's
   * records added to its partition's slice within the partition's budget, with its high watermark. Null (read
   * instead) when an append does not start at the slice's high watermark or the slice does not reach it (something
   * came between that this instance was not told of, or the last read stopped short of the end), or when the slice
   * has gaps (deleted messages, whose bytes a read counts: see log_read.sql).
   */
  private static List<LogSlice> extended(List<LogPosition> positions, List<LogSlice> known, List<LogAppend> appends) {
    List<LogSlice> slices = new ArrayList<>(known);
    for (LogAppend append : appends) {
      for (int i = 0; i < positions.size(); i++) {
        LogPosition position = positions.get(i);
        if (position.kafkaPartition() != append.kafkaPartition() || !position.queue().equals(append.queue())) {
          continue;
        }
        LogSlice slice = slices.get(i);
        if (slice == null || slice.unreadable() != null || !reachesEnd(slice, position.value())
            || append.firstOffset() != slice.highWatermark()) {
          return null;
        }
        List<LogRecord> records = new ArrayList<>(slice.records());
        long bytes = 0;
        for (LogRecord record : records) {
          bytes += record.size();
        }
        for (LogRecord record : append.records()) {
          if (records.size() >= LogReader.MAX_RECORDS_PER_PARTITION
              || (!records.isEmpty() && bytes + record.size() > position.maxBytes())) {
            break;
          }
          records.add(record);
          bytes += record.size();
        }
        slices.set(i, new LogSlice(slice.logStartOffset(), append.nextOffset(), records));
      }
    }
    return slices;
  }

  /** Whether a slice read from {@code offset} holds every offset from there up to its high watermark. */
  private static boolean reachesEnd(LogSlice slice, long offset) {
    List<LogRecord> records = slice.records();
    return slice.covers(offset) && (records.isEmpty() ? offset == slice.highWatermark()
        : records.get(0).offset() == offset && records.size() == slice.highWatermark() - offset);
  }

  /** Whether min_bytes are available, or some partition answers with an error, which is never worth waiting for. */
  private static boolean answersAtOnce(List<Wanted> wanted, List<LogSlice> slices, int minBytes) {
    long available = 0;
    for (int i = 0; i < wanted.size(); i++) {
      LogSlice slice = slices.get(i);
      if (slice == null || !slice.covers(wanted.get(i).offset()) || slice.unreadable() != null) {
        return true;
      }
      for (LogRecord record : slice.records()) {
        available += record.size();
      }
    }
    return available >= minBytes;
  }

  private static FetchResponseData answer(List<Wanted> wanted, List<LogSlice> slices, int maxBytes,
      ThroughputCounters counters) {
    FetchResponseData answer = new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(NO_SESSION);
    FetchableTopicResponse topic = null;
    long budget = maxBytes <= 0 ? Long.MAX_VALUE : maxBytes;
    boolean anyRecord = false;
    for (int i = 0; i < wanted.size(); i++) {
      Wanted want = wanted.get(i);
      if (topic == null || !topic.topic().equals(want.topic())) {
        topic = new FetchableTopicResponse().setTopic(want.topic());
        answer.responses().add(topic);
      }
      LogSlice slice = slices.isEmpty() ? null : slices.get(i);
      PartitionData partition = new PartitionData().setPartitionIndex(want.partition())
          .setRecords(MemoryRecords.EMPTY);
      topic.partitions().add(partition);
      if (slice == null) {
        partition.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setHighWatermark(UNKNOWN)
            .setLastStableOffset(UNKNOWN).setLogStartOffset(UNKNOWN);
        continue;
      }
      partition.setHighWatermark(slice.highWatermark()).setLastStableOffset(slice.highWatermark())
          .setLogStartOffset(slice.logStartOffset());
      if (!slice.covers(want.offset())) {
        partition.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
        continue;
      }
      if (slice.records().isEmpty() && slice.unreadable() != null) {
        // the record at the fetch offset is encrypted and cannot be decrypted here: never answered as data, and
        // consumers fail on CORRUPT_MESSAGE (records before such a one are answered first)
        UNREADABLE.error(want.topic() + "-" + want.partition(), "Fetch of " + want.topic() + "-" + want.partition()
            + " at offset " + want.offset() + ": " + slice.unreadable().getMessage(), null);
        partition.setErrorCode(Errors.CORRUPT_MESSAGE.code());
        continue;
      }
      List<LogRecord> kept = new ArrayList<>();
      for (LogRecord record : slice.records()) {
        if (anyRecord && record.size() > budget) {
          budget = 0;
          break;
        }
        kept.add(record);
        anyRecord = true;
        budget -= record.size();
      }
      partition.setRecords(RecordsEncoder.encode(kept));
      // records handed to a consumer count as popped (a consumer that fetches them again is counted again)
      counters.popped(want.topic(), kept.size());
    }
    return answer;
  }

  @Override
  public FetchResponseData errorResponse(RequestContext context, FetchRequestData request, Errors error) {
    return ((FetchResponse) new FetchRequest(request, context.apiVersion()).getErrorResponse(0, error.exception()))
        .data();
  }
}
