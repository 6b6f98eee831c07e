package dev.queenj.client.streams;

import dev.queenj.client.PopRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * How a runner drives the query, with Queen's SDKs' options and defaults (spec §3.1): {@code reset} wipes the
 * query's state when its operator chain changed; the pop's batch size, long-poll wait and partitions per pop
 * (200, 1 s, 4); the consumer group the runner pops as ({@code null}: {@code streams.<queryId>}); where that group
 * starts on a partition it has not read ({@code subscriptionMode} {@code "all"}/{@code "new"}, or
 * {@code subscriptionFrom} an ISO-8601 time or {@code "now"}; {@code null}: the server's default). The
 * subscription is decided on the group's first pop of a partition and kept, as for any native consumer.
 * {@code idleFlush}: how often a windowed stream closes the ripe windows of partitions that got no new message
 * (spec §3 item 4); null means the window kind's default in Queen's SDKs (tumbling and sliding 5 s, session 1 s,
 * cron 30 s), {@link Duration#ZERO} turns it off. Of these only {@code idleFlush} is part of the config hash (Queen's
 * SDKs put {@code idleFlushMs} in the window's shape): changing it needs {@code reset(true)}; the others need none.
 * {@code onError}: Queen's error hook, null for none.
 */
public record RunOptions(boolean reset, int batchSize, Duration maxWait, int maxPartitions, String consumerGroup,
    String subscriptionMode, String subscriptionFrom, Duration idleFlush, Consumer<StreamError> onError) {
  public RunOptions {
    if (batchSize < 1 || maxPartitions < 1) {
      throw new IllegalArgumentException("batchSize and maxPartitions must be at least 1");
    }
    if (maxWait == null || maxWait.toMillis() < 1) {
      throw new IllegalArgumentException("maxWait must be at least 1 ms");
    }
    if (consumerGroup != null && consumerGroup.isEmpty()) {
      throw new IllegalArgumentException("a consumer group name is not empty (null: streams.<queryId>)");
    }
    if (idleFlush != null && idleFlush.isNegative()) {
      throw new IllegalArgumentException("idleFlush must not be negative");
    }
    if (subscriptionMode != null && !subscriptionMode.equals("all") && !subscriptionMode.equals("new")) {
      throw new IllegalArgumentException("subscriptionMode is \"all\" or \"new\", not " + subscriptionMode);
    }
  }

  public static RunOptions defaults() {
    return new RunOptions(false, 200, Duration.ofSeconds(1), 4, null, null, null, null, null);
  }

  public RunOptions reset(boolean reset) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, consumerGroup, subscriptionMode, subscriptionFrom,
        idleFlush, onError);
  }

  public RunOptions batchSize(int batchSize) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, consumerGroup, subscriptionMode, subscriptionFrom,
        idleFlush, onError);
  }

  /** The long-poll wait of each pop (Queen's {@code maxWaitMillis}). */
  public RunOptions maxWait(Duration maxWait) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, consumerGroup, subscriptionMode, subscriptionFrom,
        idleFlush, onError);
  }

  public RunOptions maxPartitions(int maxPartitions) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, consumerGroup, subscriptionMode, subscriptionFrom,
        idleFlush, onError);
  }

  /** Pops as this group instead of {@code streams.<queryId>} (its cursor is then the query's position). */
  public RunOptions consumerGroup(String consumerGroup) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, consumerGroup, subscriptionMode, subscriptionFrom,
        idleFlush, onError);
  }

  /** {@code "all"} (from the beginning) or {@code "new"} (only messages pushed after the group subscribed). */
  public RunOptions subscriptionMode(String subscriptionMode) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, consumerGroup, subscriptionMode, subscriptionFrom,
        idleFlush, onError);
  }

  /** The group starts at the first message created at or after {@code from}. */
  public RunOptions subscriptionFrom(Instant from) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, consumerGroup, subscriptionMode,
        from.toString(), idleFlush, onError);
  }

  /** The group starts with messages pushed after it first subscribed ({@code subscriptionFrom=now}). */
  public RunOptions subscriptionFromNow() {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, consumerGroup, subscriptionMode, "now",
        idleFlush, onError);
  }

  /** The idle flush's interval; {@link Duration#ZERO} turns it off. */
  public RunOptions idleFlush(Duration idleFlush) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, consumerGroup, subscriptionMode, subscriptionFrom,
        idleFlush, onError);
  }

  /**
   * Queen's {@code onError} hook: hears every failure of the runner ({@link StreamError}) after it is logged and
   * counted; what it throws is logged and ignored, as in Queen's SDKs. Not part of the config hash.
   */
  public RunOptions onError(Consumer<StreamError> onError) {
    return new RunOptions(reset, batchSize, maxWait, maxPartitions, consumerGroup, subscriptionMode, subscriptionFrom,
        idleFlush, onError);
  }

  /** The group the runner of {@code queryId} pops as. */
  String group(String queryId) {
    return consumerGroup == null ? "streams." + queryId : consumerGroup;
  }

  /** The runner's pop (spec §3.1): long-poll, no autoAck, {@code partitions} only when above 1. */
  PopRequest pop(String source, String queryId) {
    PopRequest pop = PopRequest.from(source).group(group(queryId)).batch(batchSize).waitFor(maxWait)
        .partitions(maxPartitions).subscriptionMode(subscriptionMode);
    if ("now".equals(subscriptionFrom)) {
      return pop.subscriptionFromNow();
    }
    return subscriptionFrom == null ? pop : pop.subscriptionFrom(Instant.parse(subscriptionFrom));
  }
}
