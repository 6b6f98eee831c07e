package dev.queenj.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;

/**
 * What to pop: a queue (any partition) or one partition of it, how many messages, whether to long-poll and for how
 * long, as which consumer group. Immutable; every setter returns a copy. {@code PopRequest.from("orders").batch(10)
 * .waitFor(Duration.ofSeconds(20)).group("billing")}.
 */
public record PopRequest(String queue, String partition, int batch, Duration longPoll, String consumerGroup,
    boolean autoAck, String subscriptionMode, String subscriptionFrom, int partitions) {
  public PopRequest {
    if (queue == null || queue.isEmpty()) {
      throw new IllegalArgumentException("queue is required");
    }
    if (batch < 1 || partitions < 1) {
      throw new IllegalArgumentException("batch and partitions must be at least 1");
    }
    if (longPoll != null && (longPoll.isNegative() || longPoll.isZero())) {
      throw new IllegalArgumentException("a long-poll's wait must be positive, or null for none");
    }
  }

  /** One message from any partition of {@code queue}, no long-poll, queue mode. */
  public static PopRequest from(String queue) {
    return new PopRequest(queue, null, 1, null, null, false, null, null, 1);
  }

  public PopRequest partition(String partition) {
    return new PopRequest(queue, partition, batch, longPoll, consumerGroup, autoAck, subscriptionMode, subscriptionFrom,
        partitions);
  }

  public PopRequest batch(int batch) {
    return new PopRequest(queue, partition, batch, longPoll, consumerGroup, autoAck, subscriptionMode, subscriptionFrom,
        partitions);
  }

  /** Long-poll: the server holds the pop until messages arrive or {@code wait} passes. */
  public PopRequest waitFor(Duration wait) {
    return new PopRequest(queue, partition, batch, wait, consumerGroup, autoAck, subscriptionMode, subscriptionFrom,
        partitions);
  }

  /** A consumer group (fan-out: every group sees every message); {@code null} is queue mode. */
  public PopRequest group(String consumerGroup) {
    return new PopRequest(queue, partition, batch, longPoll, consumerGroup, autoAck, subscriptionMode, subscriptionFrom,
        partitions);
  }

  /** At-most-once: the pop itself consumes what it returns; no lease, no ack. */
  public PopRequest autoAck(boolean autoAck) {
    return new PopRequest(queue, partition, batch, longPoll, consumerGroup, autoAck, subscriptionMode, subscriptionFrom,
        partitions);
  }

  /** {@code "all"} (default) or {@code "new"}: where a new group starts. */
  public PopRequest subscriptionMode(String subscriptionMode) {
    return new PopRequest(queue, partition, batch, longPoll, consumerGroup, autoAck, subscriptionMode, subscriptionFrom,
        partitions);
  }

  /** A new group starts at the first message created at or after {@code from}. */
  public PopRequest subscriptionFrom(Instant from) {
    return new PopRequest(queue, partition, batch, longPoll, consumerGroup, autoAck, subscriptionMode, from.toString(),
        partitions);
  }

  /** A new group starts with messages pushed after it first subscribed ({@code subscriptionFrom=now}). */
  public PopRequest subscriptionFromNow() {
    return new PopRequest(queue, partition, batch, longPoll, consumerGroup, autoAck, subscriptionMode, "now",
        partitions);
  }

  /** Claim up to {@code partitions} partitions in one pop ({@code batch} caps the total); any-partition pops only. */
  public PopRequest partitions(int partitions) {
    if (partition != null && partitions != 1) {
      throw new IllegalArgumentException("partitions applies to pops from any partition, not from one");
    }
    return new PopRequest(queue, partition, batch, longPoll, consumerGroup, autoAck, subscriptionMode, subscriptionFrom,
        partitions);
  }

  String path() {
    StringBuilder path = new StringBuilder("/api/v1/pop/queue/").append(encode(queue));
    if (partition != null) {
      path.append("/partition/").append(encode(partition));
    }
    StringJoiner query = new StringJoiner("&", "?", "");
    query.add("batch=" + batch);
    if (longPoll != null) {
      query.add("wait=true").add("timeout=" + longPoll.toMillis());
    }
    if (consumerGroup != null) {
      query.add("consumerGroup=" + encode(consumerGroup));
    }
    if (autoAck) {
      query.add("autoAck=true");
    }
    if (subscriptionMode != null) {
      query.add("subscriptionMode=" + encode(subscriptionMode));
    }
    if (subscriptionFrom != null) {
      query.add("subscriptionFrom=" + encode(subscriptionFrom));
    }
    if (partitions != 1) {
      query.add("partitions=" + partitions);
    }
    return path.append(query).toString();
  }

  static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
