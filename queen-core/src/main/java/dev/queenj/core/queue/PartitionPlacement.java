package dev.queenj.core.queue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Where a Queen partition lives. Its id is derived from (queue id, name), so an append needs no lookup, and its
 * Kafka partition is the one Kafka's default partitioner picks for the key {@code name}:
 * {@code toPositive(murmur2(utf8(name))) % kafkaPartitions}. A Queen partition therefore always lives inside one
 * Kafka partition, and its messages are ordered by that log's offsets.
 *
 * <p>That formula places a Queen partition only when it is first written. A queue's Kafka partition count can grow
 * (CreatePartitions), and an existing Queen partition then stays in the Kafka partition its {@code partitions} row
 * names, or its messages would be split over two logs and lose their order.
 */
public final class PartitionPlacement {
  public static final String DEFAULT_PARTITION = "Default";
  private static final String KAFKA_FALLBACK_PREFIX = "__kafka-partition-";
  /** The bits of a partition id taken from its queue: the first four bytes. */
  private static final long QUEUE_PREFIX_BITS = 0xFFFFFFFF00000000L;

  private PartitionPlacement() {}

  /**
   * The id of a Queen partition: a name-based UUID (version 3) of the queue id's 16 bytes followed by the name's
   * UTF-8 bytes, whose first four bytes are replaced by the first four bytes of the MD5 of the queue id alone. All
   * partitions of a queue therefore share a prefix, so every index that leads with the partition id (messages,
   * cursors) keeps a queue's entries together: a queue's writes touch its own index pages instead of pages spread
   * over every queue's history. Migration V009 moved ids of earlier versions by the same rule, in SQL.
   */
  public static UUID partitionId(UUID queueId, String partitionName) {
    byte[] name = partitionName.getBytes(StandardCharsets.UTF_8);
    byte[] seed = new byte[16 + name.length];
    long msb = queueId.getMostSignificantBits();
    long lsb = queueId.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      seed[i] = (byte) (msb >>> (56 - 8 * i));
      seed[8 + i] = (byte) (lsb >>> (56 - 8 * i));
    }
    System.arraycopy(name, 0, seed, 16, name.length);
    UUID named = UUID.nameUUIDFromBytes(seed);
    long queuePrefix = UUID.nameUUIDFromBytes(Arrays.copyOf(seed, 16)).getMostSignificantBits() & QUEUE_PREFIX_BITS;
    return new UUID(queuePrefix | (named.getMostSignificantBits() & ~QUEUE_PREFIX_BITS),
        named.getLeastSignificantBits());
  }

  /**
   * The Kafka partition of a Queen partition: murmur2 of its name, except for a {@linkplain #kafkaFallback fallback
   * partition}, which lives in the Kafka partition it is named after.
   */
  public static int kafkaPartition(String partitionName, int kafkaPartitions) {
    Integer named = fallbackNumber(partitionName);
    if (named != null && named < kafkaPartitions) {
      return named;
    }
    return placementHash(partitionName) % kafkaPartitions;
  }

  /**
   * The non-negative hash whose remainder by the partition count places a new Queen partition that is not a
   * {@linkplain #fallbackNumber fallback partition}; appends hand it to Postgres, which divides by the count stored at
   * that moment.
   */
  public static int placementHash(String partitionName) {
    return murmur2(partitionName.getBytes(StandardCharsets.UTF_8)) & 0x7fffffff;
  }

  /**
   * N when {@code partitionName} is exactly {@code __kafka-partition-<N>} ({@link #kafkaFallback}), else null: such a
   * partition lives in Kafka partition N whenever the queue has it (otherwise it is placed by its hash like any name).
   */
  public static Integer fallbackNumber(String partitionName) {
    if (!partitionName.startsWith(KAFKA_FALLBACK_PREFIX)) {
      return null;
    }
    try {
      int named = Integer.parseInt(partitionName.substring(KAFKA_FALLBACK_PREFIX.length()));
      return named >= 0 && kafkaFallback(named).equals(partitionName) ? named : null;
    } catch (NumberFormatException e) {
      // an ordinary name that happens to share the prefix
      return null;
    }
  }

  /**
   * Where a Kafka record lands natively when its key cannot name its Queen partition: a record with a null key, a key
   * that is not valid UTF-8 (or is empty), or a key produced into another Kafka partition than the one that key's
   * Queen partition lives in (a custom partitioner, or an explicit partition) goes to the Queen partition
   * {@code __kafka-partition-<N>} of its queue, N being the Kafka partition it was produced into. That partition
   * keeps the order of Kafka partition N for native consumers, and a wildcard pop reaches it like any other. A
   * record whose UTF-8 key lives in the partition it was produced into lands in the Queen partition named by its key.
   */
  public static String kafkaFallback(int kafkaPartition) {
    return KAFKA_FALLBACK_PREFIX + kafkaPartition;
  }

  /** Kafka's murmur2 (seed 0x9747b28c), bit for bit, so both protocols place a key in the same partition. */
  static int murmur2(byte[] data) {
    int length = data.length;
    final int m = 0x5bd1e995;
    final int r = 24;
    int h = 0x9747b28c ^ length;
    int length4 = length / 4;
    for (int i = 0; i < length4; i++) {
      int i4 = i * 4;
      int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16)
          + ((data[i4 + 3] & 0xff) << 24);
      k *= m;
      k ^= k >>> r;
      k *= m;
      h *= m;
      h ^= k;
    }
    int tail = length4 * 4;
    switch (length % 4) {
      case 3:
        h ^= (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        h ^= (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        h ^= data[tail] & 0xff;
        h *= m;
      // fall through
      default:
        break;
    }
    h ^= h >>> 13;
    h *= m;
    h ^= h >>> 15;
    return h;
  }
}
