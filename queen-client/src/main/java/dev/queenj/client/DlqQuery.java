package dev.queenj.client;

import java.util.StringJoiner;

/** Which dead letters to read: {@code DlqQuery.of("orders").group("billing").limit(50).offset(100)}. */
public record DlqQuery(String queue, String consumerGroup, String partition, int limit, int offset) {

  public static DlqQuery of(String queue) {
    return new DlqQuery(queue, null, null, 100, 0);
  }

  public DlqQuery group(String consumerGroup) {
    return new DlqQuery(queue, consumerGroup, partition, limit, offset);
  }

  public DlqQuery partition(String partition) {
    return new DlqQuery(queue, consumerGroup, partition, limit, offset);
  }

  public DlqQuery limit(int limit) {
    return new DlqQuery(queue, consumerGroup, partition, limit, offset);
  }

  public DlqQuery offset(int offset) {
    return new DlqQuery(queue, consumerGroup, partition, limit, offset);
  }

  String path() {
    StringJoiner query = new StringJoiner("&", "/api/v1/dlq?", "");
    if (queue != null) {
      query.add("queue=" + PopRequest.encode(queue));
    }
    if (consumerGroup != null) {
      query.add("consumerGroup=" + PopRequest.encode(consumerGroup));
    }
    if (partition != null) {
      query.add("partition=" + PopRequest.encode(partition));
    }
    return query.add("limit=" + limit).add("offset=" + offset).toString();
  }
}
