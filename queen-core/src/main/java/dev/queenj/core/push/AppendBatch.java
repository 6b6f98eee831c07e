package dev.queenj.core.push;

import dev.queenj.core.Uuid7;
import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.log.LogAppend;
import dev.queenj.core.log.LogRecord;
import dev.queenj.core.queue.Queue;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One batch on its way through {@code message_append.sql}: what Java decides before the statement runs (message ids,
 * duplicates within the batch, each item's rank in its log) and what it learns from the answers (stored duplicates,
 * the logs' base offsets). A batch may run more than once: an answer that names stored duplicates wrote nothing, and
 * the batch runs again without them.
 */
final class AppendBatch {
  /**
   * Where one item goes: its Queen partition and the log it is appended to. {@code keyElsewhere} is set for a Kafka
   * record sent to its fallback partition because its key's Queen partition lives in another log: that partition,
   * which the statement checks does not live in {@code kafkaPartition} after all.
   */
  record Target(UUID partitionId, String partitionName, int kafkaPartition, UUID keyElsewhere) {}

  /** A log appended to, identified by queue and Kafka partition. */
  private record Log(UUID queueId, int kafkaPartition) {}

  /** A Queen partition written by the batch: its log and the rank of its newest item there. */
  private static final class Head {
    final String name;
    final int log;
    int newestRank;

    Head(String name, int log) {
      this.name = name;
      this.log = log;
    }
  }

  private final List<PushItem> items;
  private final List<Target> targets;
  private final Map<String, Queue> queues;
  private final List<SequenceWrite> sequences;
  private final UUID[] ids;
  private final String[] transactionIds;
  /** The index of the earlier item of the batch this one repeats (same partition and client transaction id), or -1. */
  private final int[] repeats;
  /** The stored message an item turned out to duplicate, else null. */
  private final UUID[] stored;
  private final int[] logOf;
  private final int[] rank;
  /**
   * The bytes each item is stored with where they differ from its payload (sealed, for a queue with encryption
   * enabled), else null; and the id of the key that sealed them. Both null when no item is sealed: a batch of
   * unencrypted queues allocates and sends nothing for encryption.
   */
  private byte[][] sealed;
  private Integer[] keyIds;
  private long[] baseOffsets;
  /** When each log's messages were stored (their created_at, ms): the timestamp of records without their own. */
  private long[] storedAt;
  /** The queue and Kafka partition of each log the last {@link #parameters()} wrote, by their index there. */
  private String[] logQueues = new String[0];
  private Integer[] logPartitions = new Integer[0];

  AppendBatch(List<PushItem> items, List<Target> targets, Map<String, Queue> queues, List<SequenceWrite> sequences,
      PayloadCipher cipher) {
    int n = items.size();
    this.items = items;
    this.targets = targets;
    this.queues = queues;
    this.sequences = sequences;
    this.ids = new UUID[n];
    this.transactionIds = new String[n];
    this.repeats = new int[n];
    this.stored = new UUID[n];
    this.logOf = new int[n];
    this.rank = new int[n];
    Map<String, Integer> firstByKey = new HashMap<>();
    for (int i = 0; i < n; i++) {
      PushItem item = items.get(i);
      ids[i] = Uuid7.next();
      transactionIds[i] = item.transactionId() != null ? item.transactionId() : ids[i].toString();
      repeats[i] = -1;
      if (item.payload() != null && queueOf(i).options().encryptionEnabled()) {
        seal(i, cipher);
      }
      if (item.transactionId() != null) {
        Integer first = firstByKey.putIfAbsent(targets.get(i).partitionId() + "/" + item.transactionId(), i);
        if (first != null) {
          repeats[i] = first;
        }
      }
    }
  }

  private void seal(int i, PayloadCipher cipher) {
    if (sealed == null) {
      sealed = new byte[items.size()][];
      keyIds = new Integer[items.size()];
    }
    sealed[i] = cipher.seal(items.get(i).payload());
    keyIds[i] = cipher.keyId();
  }

  /** The bytes item {@code i} is stored with. */
  private byte[] storedPayload(int i) {
    return sealed == null || sealed[i] == null ? items.get(i).payload() : sealed[i];
  }

  /** Whether item {@code i} is to be written: neither a repeat within the batch nor a stored duplicate. */
  private boolean fresh(int i) {
    return repeats[i] < 0 && stored[i] == null;
  }

  /** The statement's parameters for the items still to be written; ranks them in their logs. */
  Tuple parameters() {
    Map<Log, Integer> logs = new LinkedHashMap<>();
    List<Integer> logCounts = new ArrayList<>();
    Map<UUID, Head> heads = new LinkedHashMap<>();
    List<Integer> written = new ArrayList<>();
    List<Integer> probed = new ArrayList<>();
    List<Integer> elsewhere = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (!fresh(i)) {
        continue;
      }
      Target target = targets.get(i);
      int log = logs.computeIfAbsent(new Log(queueOf(i).id(), target.kafkaPartition()), key -> {
        logCounts.add(0);
        return logCounts.size() - 1;
      });
      logOf[i] = log;
      rank[i] = logCounts.get(log);
      logCounts.set(log, rank[i] + 1);
      heads.computeIfAbsent(target.partitionId(), id -> new Head(target.partitionName(), log)).newestRank = rank[i];
      written.add(i);
      if (items.get(i).transactionId() != null) {
        probed.add(i);
      }
      if (target.keyElsewhere() != null) {
        elsewhere.add(i);
      }
    }
    int n = written.size();
    Integer[] itemLog = new Integer[n];
    Integer[] itemRank = new Integer[n];
    UUID[] partitionIds = new UUID[n];
    UUID[] messageIds = new UUID[n];
    String[] itemTransactionIds = new String[n];
    UUID[] traceIds = new UUID[n];
    Buffer[] payloads = new Buffer[n];
    String[] producerSubs = new String[n];
    Buffer[] keys = new Buffer[n];
    Buffer[] headers = new Buffer[n];
    Long[] timestamps = new Long[n];
    Integer[] payloadKeyIds = keyIds == null ? null : new Integer[n];
    Long[] ends = new Long[n];
    Long[] logBytes = new Long[logs.size()];
    Arrays.fill(logBytes, 0L);
    for (int w = 0; w < n; w++) {
      int i = written.get(w);
      PushItem item = items.get(i);
      KafkaOrigin kafka = item.kafka();
      itemLog[w] = logOf[i];
      itemRank[w] = rank[i];
      partitionIds[w] = targets.get(i).partitionId();
      messageIds[w] = ids[i];
      itemTransactionIds[w] = transactionIds[i];
      traceIds[w] = item.traceId();
      byte[] payload = storedPayload(i);
      payloads[w] = payload == null ? null : Buffer.buffer(payload);
      if (payloadKeyIds != null) {
        payloadKeyIds[w] = keyIds[i];
      }
      producerSubs[w] = item.producerSub();
      byte[] key = keyOf(item);
      byte[] encodedHeaders = kafka == null ? null : kafka.headers();
      timestamps[w] = kafka == null ? null : kafka.timestamp();
      keys[w] = key == null ? null : Buffer.buffer(key);
      headers[w] = encodedHeaders == null ? null : Buffer.buffer(encodedHeaders);
      // items come in rank order within their log, so a running total per log is each one's end in the batch
      logBytes[logOf[i]] += LogRecord.size(key, payload, encodedHeaders);
      ends[w] = logBytes[logOf[i]];
    }
    UUID[] logQueueIds = new UUID[logs.size()];
    Integer[] logPartitionCounts = new Integer[logs.size()];
    Boolean[] logEncrypted = new Boolean[logs.size()];
    logQueues = new String[logs.size()];
    logPartitions = new Integer[logs.size()];
    logs.forEach((log, index) -> {
      logQueueIds[index] = log.queueId();
      logPartitions[index] = log.kafkaPartition();
    });
    for (int i : written) {
      logPartitionCounts[logOf[i]] = queueOf(i).kafkaPartitions();
      logEncrypted[logOf[i]] = queueOf(i).options().encryptionEnabled();
      logQueues[logOf[i]] = items.get(i).queue();
    }
    UUID[] headIds = heads.keySet().toArray(new UUID[0]);
    String[] headNames = new String[headIds.length];
    Integer[] headLogs = new Integer[headIds.length];
    Integer[] headRanks = new Integer[headIds.length];
    for (int h = 0; h < headIds.length; h++) {
      Head head = heads.get(headIds[h]);
      headNames[h] = head.name;
      headLogs[h] = head.log;
      headRanks[h] = head.newestRank;
    }
    Integer[] probeIndex = new Integer[probed.size()];
    UUID[] probePartitions = new UUID[probed.size()];
    String[] probeTransactionIds = new String[probed.size()];
    for (int p = 0; p < probeIndex.length; p++) {
      int i = probed.get(p);
      probeIndex[p] = i;
      probePartitions[p] = targets.get(i).partitionId();
      probeTransactionIds[p] = transactionIds[i];
    }
    UUID[] elsewherePartitions = new UUID[elsewhere.size()];
    Integer[] elsewhereLogs = new Integer[elsewhere.size()];
    for (int e = 0; e < elsewherePartitions.length; e++) {
      Target target = targets.get(elsewhere.get(e));
      elsewherePartitions[e] = target.keyElsewhere();
      elsewhereLogs[e] = target.kafkaPartition();
    }
    AppendParameters parameters = new AppendParameters()
        .put(AppendParameters.ITEM_LOG, itemLog)
        .put(AppendParameters.ITEM_RANK, itemRank)
        .put(AppendParameters.ITEM_PARTITION, partitionIds)
        .put(AppendParameters.ITEM_ID, messageIds)
        .put(AppendParameters.ITEM_TRANSACTION_ID, itemTransactionIds)
        .put(AppendParameters.ITEM_TRACE_ID, traceIds)
        .put(AppendParameters.ITEM_PAYLOAD, payloads)
        .put(AppendParameters.ITEM_PRODUCER_SUB, producerSubs)
        .put(AppendParameters.ITEM_RECORD_KEY, keys)
        .put(AppendParameters.ITEM_RECORD_HEADERS, headers)
        .put(AppendParameters.ITEM_RECORD_TIMESTAMP, timestamps)
        .put(AppendParameters.ITEM_END, ends)
        .put(AppendParameters.ITEM_PAYLOAD_KEY, payloadKeyIds)
        .put(AppendParameters.LOG_QUEUE, logQueueIds)
        .put(AppendParameters.LOG_KAFKA_PARTITION, logPartitions)
        .put(AppendParameters.LOG_COUNT, logCounts.toArray(new Integer[0]))
        .put(AppendParameters.LOG_PARTITION_COUNT, logPartitionCounts)
        .put(AppendParameters.LOG_BYTES, logBytes)
        .put(AppendParameters.LOG_ENCRYPTED, logEncrypted)
        .put(AppendParameters.HEAD_ID, headIds)
        .put(AppendParameters.HEAD_NAME, headNames)
        .put(AppendParameters.HEAD_LOG, headLogs)
        .put(AppendParameters.HEAD_NEWEST_RANK, headRanks)
        .put(AppendParameters.PROBE_ITEM, probeIndex)
        .put(AppendParameters.PROBE_PARTITION, probePartitions)
        .put(AppendParameters.PROBE_TRANSACTION_ID, probeTransactionIds)
        .put(AppendParameters.ELSEWHERE_PARTITION, elsewherePartitions)
        .put(AppendParameters.ELSEWHERE_KAFKA_PARTITION, elsewhereLogs);
    addSequences(parameters, logs);
    return parameters.tuple();
  }

  /** The producer states to store: one row per state, one per batch each keeps. */
  private void addSequences(AppendParameters parameters, Map<Log, Integer> logs) {
    int n = sequences.size();
    Long[] producers = new Long[n];
    Integer[] stateLogs = new Integer[n];
    Integer[] epochs = new Integer[n];
    Integer[] lastSequences = new Integer[n];
    Integer[] expectedEpochs = new Integer[n];
    Integer[] expectedLasts = new Integer[n];
    List<Integer> state = new ArrayList<>();
    List<Integer> position = new ArrayList<>();
    List<Integer> firsts = new ArrayList<>();
    List<Integer> lasts = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    List<Integer> ranks = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      SequenceWrite write = sequences.get(s);
      Integer log = logs.get(new Log(write.scope().queueId(), write.scope().kafkaPartition()));
      if (log == null) {
        throw new IllegalStateException("a producer state to store for a log the append does not write");
      }
      producers[s] = write.scope().producerId();
      stateLogs[s] = log;
      epochs[s] = (int) write.next().epoch();
      lastSequences[s] = write.next().lastSequence();
      expectedEpochs[s] = write.expected() == null ? null : (int) write.expected().epoch();
      expectedLasts[s] = write.expected() == null ? null : write.expected().lastSequence();
      List<ProducerState.Batch> kept = write.next().batches();
      for (int b = 0; b < kept.size(); b++) {
        state.add(s);
        position.add(b);
        firsts.add(kept.get(b).firstSequence());
        lasts.add(kept.get(b).lastSequence());
        offsets.add(kept.get(b).baseOffset());
        int first = write.firstItems().get(b);
        ranks.add(first < 0 ? null : rank[first]);
      }
    }
    parameters.put(AppendParameters.STATE_PRODUCER, producers)
        .put(AppendParameters.STATE_LOG, stateLogs)
        .put(AppendParameters.STATE_EPOCH, epochs)
        .put(AppendParameters.STATE_LAST_SEQUENCE, lastSequences)
        .put(AppendParameters.STATE_EXPECTED_EPOCH, expectedEpochs)
        .put(AppendParameters.STATE_EXPECTED_LAST, expectedLasts)
        .put(AppendParameters.BATCH_STATE, state.toArray(new Integer[0]))
        .put(AppendParameters.BATCH_POSITION, position.toArray(new Integer[0]))
        .put(AppendParameters.BATCH_FIRST_SEQUENCE, firsts.toArray(new Integer[0]))
        .put(AppendParameters.BATCH_LAST_SEQUENCE, lasts.toArray(new Integer[0]))
        .put(AppendParameters.BATCH_BASE_OFFSET, offsets.toArray(new Long[0]))
        .put(AppendParameters.BATCH_RANK, ranks.toArray(new Integer[0]));
  }

  /**
   * Takes the statement's answer. Answers true when the batch was written; false when it named stored duplicates,
   * wrote nothing, and must run again without them.
   */
  boolean written(RowSet<Row> rows) {
    boolean duplicates = false;
    long[] bases = new long[rows.size()];
    long[] times = new long[rows.size()];
    for (Row row : rows) {
      UUID storedId = row.getUUID("stored_id");
      if (storedId != null) {
        stored[row.getInteger("ord")] = storedId;
        duplicates = true;
      } else {
        bases[row.getInteger("ord")] = row.getLong("base_offset");
        times[row.getInteger("ord")] = row.getLong("stored_at");
      }
    }
    if (!duplicates) {
      baseOffsets = bases;
      storedAt = times;
    }
    return !duplicates;
  }

  /** Whether anything is left to write (everything may have turned out to be duplicates). */
  boolean anythingToWrite() {
    for (int i = 0; i < items.size(); i++) {
      if (fresh(i)) {
        return true;
      }
    }
    return false;
  }

  /** One outcome per item, in order, once the batch was written. */
  List<PushOutcome> outcomes() {
    List<PushOutcome> outcomes = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      PushItem item = items.get(i);
      UUID partitionId = targets.get(i).partitionId();
      if (fresh(i)) {
        outcomes.add(new PushOutcome(transactionIds[i], false, ids[i], partitionId, item.traceId(), item.queue(),
            baseOffsets[logOf[i]] + rank[i]));
      } else {
        outcomes.add(new PushOutcome(transactionIds[i], true, messageId(i), partitionId, item.traceId(),
            item.queue(), null));
      }
    }
    return outcomes;
  }

  /**
   * What the batch appended to each log, once written: the records as a read would answer them (the stored offsets,
   * timestamps, keys, values and headers), so that whoever waits at a log's end can be answered without reading.
   */
  List<LogAppend> logAppends() {
    if (baseOffsets == null) {
      return List.of();
    }
    List<List<LogRecord>> records = new ArrayList<>();
    for (int log = 0; log < logQueues.length; log++) {
      records.add(new ArrayList<>());
    }
    for (int i = 0; i < items.size(); i++) {
      if (fresh(i)) {
        PushItem item = items.get(i);
        KafkaOrigin kafka = item.kafka();
        int log = logOf[i];
        records.get(log).add(new LogRecord(baseOffsets[log] + rank[i],
            kafka == null ? storedAt[log] : kafka.timestamp(), keyOf(item), item.payload(),
            kafka == null ? null : kafka.headers()));
      }
    }
    List<LogAppend> appends = new ArrayList<>(logQueues.length);
    for (int log = 0; log < logQueues.length; log++) {
      List<LogRecord> appended = records.get(log);
      appends.add(new LogAppend(logQueues[log], logPartitions[log], baseOffsets[log] + appended.size(), appended));
    }
    return appends;
  }

  /** The queues the batch appended to, once written. */
  Set<String> queuesWritten() {
    return baseOffsets == null ? Set.of() : new LinkedHashSet<>(Arrays.asList(logQueues));
  }

  /** The key a record is stored with: a Kafka record's own; a native push is keyed by its conversation. */
  private static byte[] keyOf(PushItem item) {
    return item.kafka() == null ? item.partition().getBytes(StandardCharsets.UTF_8) : item.kafka().key();
  }

  /** The message an item is, or duplicates: the stored one, or the one its first occurrence in the batch became. */
  private UUID messageId(int i) {
    if (stored[i] != null) {
      return stored[i];
    }
    return repeats[i] >= 0 ? messageId(repeats[i]) : ids[i];
  }

  private Queue queueOf(int i) {
    return queues.get(items.get(i).queue());
  }
}
