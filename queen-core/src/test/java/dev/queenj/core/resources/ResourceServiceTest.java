package dev.queenj.core.resources;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.queenj.core.QueenCore;
import dev.queenj.core.ack.AckItem;
import dev.queenj.core.group.PartitionLag;
import dev.queenj.core.pop.PopRequest;
import dev.queenj.core.pop.PopResult;
import dev.queenj.core.pop.PoppedMessage;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The views over every queue share one recent read of the counts: a call within the reuse window counts nothing
 * again, and once it passed the numbers agree with what was pushed, popped and acked.
 */
class ResourceServiceTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(2);

  @Test
  void callsWithinTheReuseWindowCountNothingAgain() {
    // given: a window far longer than the test, and one read of everything
    QueenCore core = new QueenCore(db.database(), 2);
    ResourceService resources = new ResourceService(db.database(), core.queues(), core.groups(), 600_000);
    push(core, "rs-a", "p1", 3);
    Counted<Overview> first = await(resources.overview());
    assertThat(resources.countReads()).isEqualTo(1);

    // when: every view over all queues, after more work on the same queue
    push(core, "rs-a", "p1", 2);
    Counted<Overview> again = await(resources.overview());
    Counted<List<QueueStats>> queues = await(resources.queues());
    await(resources.namespaces());
    await(resources.tasks());

    // then: answered from the first read, which they say
    assertThat(resources.countReads()).isEqualTo(1);
    assertThat(again.readAt()).isEqualTo(first.readAt());
    assertThat(queues.readAt()).isEqualTo(first.readAt());
    assertThat(again.value().messages().total()).isEqualTo(3);

    // and: a queue the read did not see is counted at once
    push(core, "rs-b", "p1", 1);
    Counted<List<QueueStats>> withB = await(resources.queues());
    assertThat(resources.countReads()).isEqualTo(2);
    assertThat(withB.value()).extracting(q -> q.queue().name()).containsExactly("rs-a", "rs-b");
    assertThat(withB.value()).extracting(q -> q.totals().total()).containsExactly(5L, 1L);
  }

  @Test
  void onceTheWindowPassedTheNumbersAgreeWithThePushesPopsAndAcks() {
    // given: a short window, and a read of the queues before the work
    QueenCore core = new QueenCore(db.database(), 2);
    ResourceService resources = new ResourceService(db.database(), core.queues(), core.groups(), 200);
    push(core, "rs-work.orders", "p1", 4);
    push(core, "rs-work.orders", "p2", 2);
    await(resources.overview());

    // when: queue mode consumes 3 of p1 (2 acked, 1 in a live lease), group g1 pops and acks 1
    List<PoppedMessage> popped = pop(core, "rs-work.orders", "p1", PopRequest.QUEUE_MODE, 3);
    ack(core, popped.subList(0, 2), PopRequest.QUEUE_MODE);
    ack(core, pop(core, "rs-work.orders", "p1", "g1", 1), "g1");
    push(core, "rs-work.orders", "p2", 1);

    // then: once a read after the work answers, totals follow the cursors (p1: queue mode at offset 2, g1 at 1 ->
    // completed 1, processing 1 in queue mode's lease, pending 2; p2: 3 pending, no cursor; 7 in all)
    long readsBefore = resources.countReads();
    Eventually.until(Duration.ofSeconds(10), () -> await(resources.overview()).value().messages().total() == 7,
        () -> "overview " + await(resources.overview()));
    assertThat(resources.countReads()).isGreaterThan(readsBefore);
    Overview overview = await(resources.overview()).value();
    assertThat(overview.messages()).isEqualTo(new MessageStats(7, 5, 1, 1, 0, 0));
    assertThat(overview.partitions()).isEqualTo(2);
    assertThat(overview.namespaces()).isEqualTo(1);
    QueueGroupStats namespace = await(resources.namespaces()).value().get(0);
    assertThat(namespace.name()).isEqualTo("rs-work");
    assertThat(namespace.messages().total()).isEqualTo(7);
    assertThat(namespace.messages().pending()).isEqualTo(5);
  }

  @Test
  void theBacklogIsTheSharedReadsCountsAndLagAndADeletedQueueLeavesIt() {
    // given: g1 consumed 1 of a's 3 messages; g2 holds 1 of b's 2 in a live lease
    QueenCore core = new QueenCore(db.database(), 2);
    ResourceService resources = new ResourceService(db.database(), core.queues(), core.groups(), 600_000);
    push(core, "rs-lag-a", "p1", 3);
    push(core, "rs-lag-b", "p1", 2);
    ack(core, pop(core, "rs-lag-a", "p1", "g1", 1), "g1");
    pop(core, "rs-lag-b", "p1", "g2", 1);

    // when
    Backlog backlog = await(resources.backlog()).value();

    // then: every queue's counts and every group's lag in messages per partition, from one read
    assertThat(resources.countReads()).isEqualTo(1);
    assertThat(backlog.queues()).extracting(q -> q.queue().name()).containsExactly("rs-lag-a", "rs-lag-b");
    assertThat(backlog.queues()).extracting(QueueStats::totals)
        .containsExactly(new MessageStats(3, 2, 0, 1, 0, 0), new MessageStats(2, 1, 1, 0, 0, 0));
    assertThat(backlog.lags()).extracting(PartitionLag::consumerGroup, PartitionLag::queue, PartitionLag::offsetLag)
        .containsExactly(tuple("g1", "rs-lag-a", 2L), tuple("g2", "rs-lag-b", 2L));

    // and: a queue deleted since takes its counts and its groups' lag with it, though the read is reused
    await(core.queues().delete("rs-lag-b"));
    Backlog after = await(resources.backlog()).value();
    assertThat(resources.countReads()).isEqualTo(1);
    assertThat(after.queues()).extracting(q -> q.queue().name()).containsExactly("rs-lag-a");
    assertThat(after.lags()).extracting(PartitionLag::consumerGroup).containsExactly("g1");
    assertThat(await(resources.overview()).value().offsetLag().max()).isEqualTo(2);
  }

  private static void push(QueenCore core, String queue, String partition, int n) {
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(new PushItem(queue, partition, UUID.randomUUID().toString(), null,
          "{}".getBytes(StandardCharsets.UTF_8), null));
    }
    await(core.push().push(items));
  }

  private static List<PoppedMessage> pop(QueenCore core, String queue, String partition, String group, int batch) {
    PopResult result = await(core.pop().pop(new PopRequest(queue, partition, group, batch, 1, false, null, "w")));
    assertThat(result).isInstanceOf(PopResult.Claimed.class);
    return ((PopResult.Claimed) result).messages();
  }

  private static void ack(QueenCore core, List<PoppedMessage> messages, String group) {
    List<AckItem> items = new ArrayList<>();
    for (PoppedMessage m : messages) {
      items.add(new AckItem(m.transactionId(), m.partitionId().toString(), "completed", null, group, null));
    }
    await(core.ack().ack(items));
  }
}
