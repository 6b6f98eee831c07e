package dev.queenj.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Queen's {@code queen_cluster_*} counters, named as Queen names them so that its dashboards keep working. */
public final class HttpMetrics {
  private final Counter pushRequests;
  private final Counter pushMessages;
  private final Counter popRequests;
  private final Counter popMessages;
  private final Counter ackRequests;
  private final Counter ackMessages;

  public HttpMetrics(MeterRegistry registry) {
    pushRequests = Counter.builder("queen.cluster.push.requests").register(registry);
    pushMessages = Counter.builder("queen.cluster.push.messages").register(registry);
    popRequests = Counter.builder("queen.cluster.pop.requests").register(registry);
    popMessages = Counter.builder("queen.cluster.pop.messages").register(registry);
    ackRequests = Counter.builder("queen.cluster.ack.requests").register(registry);
    ackMessages = Counter.builder("queen.cluster.ack.messages").register(registry);
  }

  public void pushRequest(int messages) {
    pushRequests.increment();
    pushMessages.increment(messages);
  }

  public void popRequest() {
    popRequests.increment();
  }

  public void popped(int messages) {
    popMessages.increment(messages);
  }

  public void ackRequest(int messages) {
    ackRequests.increment();
    ackMessages.increment(messages);
  }
}
