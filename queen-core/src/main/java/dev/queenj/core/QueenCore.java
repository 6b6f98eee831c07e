package dev.queenj.core;

import dev.queenj.core.ack.AckService;
import dev.queenj.core.acl.AclStore;
import dev.queenj.core.ack.AckWriter;
import dev.queenj.core.cluster.ClusterIdentity;
import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.dlq.DeadLetterService;
import dev.queenj.core.group.ConsumerGroupService;
import dev.queenj.core.group.KafkaGroupOffsets;
import dev.queenj.core.kafkatxn.KafkaTransactions;
import dev.queenj.core.kafkatxn.TransactionTimeouts;
import dev.queenj.core.kafkatxn.TransactionViews;
import dev.queenj.core.lease.LeaseService;
import dev.queenj.core.log.LogReader;
import dev.queenj.core.message.MessageService;
import dev.queenj.core.notify.AppendNotifications;
import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.pop.PopService;
import dev.queenj.core.push.MessageAppender;
import dev.queenj.core.push.PushService;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.resources.ResourceService;
import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.core.retention.RetentionService;
import dev.queenj.core.stats.StatsService;
import dev.queenj.core.stats.ThroughputCounters;
import dev.queenj.core.storage.Database;
import dev.queenj.core.streams.StreamCycles;
import dev.queenj.core.streams.StreamQueries;
import dev.queenj.core.streams.StreamState;
import dev.queenj.core.trace.TraceService;
import dev.queenj.core.transaction.TransactionService;

/** The core services, wired once over one database. Protocol modules receive this and nothing else. */
public final class QueenCore {
  private final Database database;
  private final ClusterIdentity cluster;
  private final QueueCatalog queues;
  private final AppendSignal appendSignal;
  private final AppendNotifications appendNotifications;
  private final PushService push;
  private final PopService pop;
  private final AckService ack;
  private final TransactionService transactions;
  private final KafkaTransactions kafkaTransactions;
  private final TransactionTimeouts transactionTimeouts;
  private final TransactionViews transactionViews;
  private final LeaseService leases;
  private final ConsumerGroupService groups;
  private final KafkaGroupOffsets kafkaGroupOffsets;
  private final ResourceService resources;
  private final DeadLetterService deadLetters;
  private final MessageService messages;
  private final LogReader log;
  private final RetentionService retention;
  private final AclStore acls;
  private final StreamQueries streamQueries;
  private final StreamState streamState;
  private final StreamCycles streamCycles;
  private final TraceService traces;
  private final StatsService stats;
  private final ThroughputCounters counters;

  public QueenCore(Database database, int defaultKafkaPartitions) {
    this(database, defaultKafkaPartitions, RetentionConfig.DEFAULTS);
  }

  public QueenCore(Database database, int defaultKafkaPartitions, RetentionConfig retention) {
    this(database, defaultKafkaPartitions, retention, PayloadCipher.NONE);
  }

  /** {@code cipher} seals and opens the payloads of queues with encryption enabled. */
  public QueenCore(Database database, int defaultKafkaPartitions, RetentionConfig retention, PayloadCipher cipher) {
    this.database = database;
    this.cluster = new ClusterIdentity(database);
    this.queues = new QueueCatalog(database, defaultKafkaPartitions, cipher.enabled());
    this.appendSignal = new AppendSignal();
    this.appendNotifications = new AppendNotifications(database, appendSignal);
    MessageAppender appender = new MessageAppender(queues, cipher);
    AckWriter ackWriter = new AckWriter();
    ThroughputCounters counters = new ThroughputCounters();
    this.push = new PushService(database, appender, queues, appendSignal, counters);
    this.pop = new PopService(database, queues, appendSignal, cipher, counters);
    this.ack = new AckService(database, ackWriter, counters);
    this.transactions = new TransactionService(database, ackWriter, appender, appendSignal, queues, counters);
    this.kafkaTransactions = new KafkaTransactions(database, appender, queues, appendSignal, cipher, counters);
    this.transactionTimeouts = new TransactionTimeouts(database);
    this.transactionViews = new TransactionViews(database, retention.producerIdExpirationMs());
    this.leases = new LeaseService(database);
    this.kafkaGroupOffsets = new KafkaGroupOffsets(database, counters);
    this.groups = new ConsumerGroupService(database, kafkaGroupOffsets);
    this.resources = new ResourceService(database, queues, groups);
    this.deadLetters = new DeadLetterService(database, cipher, appender, queues, appendSignal, counters);
    this.messages = new MessageService(database, cipher);
    this.log = new LogReader(database, cipher);
    this.retention = new RetentionService(database, retention);
    this.acls = new AclStore(database);
    this.streamQueries = new StreamQueries(database);
    this.streamState = new StreamState(database);
    this.streamCycles = new StreamCycles(database, appender, appendSignal, queues, counters);
    this.traces = new TraceService(database);
    this.counters = counters;
    this.stats = new StatsService(database, counters, traces, kafkaGroupOffsets);
  }

  public Database database() {
    return database;
  }

  public ClusterIdentity cluster() {
    return cluster;
  }

  public QueueCatalog queues() {
    return queues;
  }

  public AppendSignal appendSignal() {
    return appendSignal;
  }

  /** Wake-ups across the instances on this database; started by the server, not running until then. */
  public AppendNotifications appendNotifications() {
    return appendNotifications;
  }

  public PushService push() {
    return push;
  }

  public PopService pop() {
    return pop;
  }

  public AckService ack() {
    return ack;
  }

  /**
   * This instance's throughput counts, for work done outside the core's services (Kafka fetches count the records
   * they return as popped).
   */
  public ThroughputCounters counters() {
    return counters;
  }

  /** What is stored of Kafka consumer groups: their committed offsets. */
  public KafkaGroupOffsets kafkaGroupOffsets() {
    return kafkaGroupOffsets;
  }

  public KafkaTransactions kafkaTransactions() {
    return kafkaTransactions;
  }

  /** The Kafka transaction timeout, which the Kafka listener runs while it listens. */
  public TransactionTimeouts transactionTimeouts() {
    return transactionTimeouts;
  }

  public TransactionViews transactionViews() {
    return transactionViews;
  }

  public TransactionService transactions() {
    return transactions;
  }

  public LeaseService leases() {
    return leases;
  }

  public ConsumerGroupService groups() {
    return groups;
  }

  public ResourceService resources() {
    return resources;
  }

  public DeadLetterService deadLetters() {
    return deadLetters;
  }

  public MessageService messages() {
    return messages;
  }

  public LogReader log() {
    return log;
  }

  /** Retention, eviction and cleanup; started by the server, run directly by tests. */
  public RetentionService retention() {
    return retention;
  }

  /** The Kafka ACLs, which authorize Kafka requests and (with JWT) HTTP requests; started by whoever enforces them. */
  public AclStore acls() {
    return acls;
  }

  /** Queen streams: query registration. */
  public StreamQueries streamQueries() {
    return streamQueries;
  }

  /** Queen streams: state reads. */
  public StreamState streamState() {
    return streamState;
  }

  /** Queen streams: the cycle commit. */
  public StreamCycles streamCycles() {
    return streamCycles;
  }

  /** Trace events recorded on messages. */
  public TraceService traces() {
    return traces;
  }

  /** Throughput, lag and sizes for operators; its flusher is started by the server, run directly by tests. */
  public StatsService stats() {
    return stats;
  }
}
