package dev.queenj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.testing.Eventually;
import dev.queenj.http.auth.JwtConfig;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against a real broker (real Postgres), one broker for the class; every test uses queues of its own. */
class QueenClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static TestBroker broker;
  private static QueenClient client;
  private static BlockingQueenClient queen;

  record Order(String id, int amount) {
  }

  @BeforeAll
  static void connect() {
    broker = TestBroker.start(JwtConfig.DISABLED);
    client = QueenClient.builder(broker.url()).requestTimeout(Duration.ofSeconds(10)).build();
    queen = client.blocking();
  }

  @AfterAll
  static void disconnect() {
    client.close();
    broker.close();
  }

  @Test
  void pushedMessagesArePoppedTypedAndAckedOnce() {
    String queue = queue("orders");
    List<PushResult> pushed = queen.push(List.of(
        PushItem.of(queue, new Order("o-1", 5)).partition("p1").transactionId("t-1"),
        PushItem.of(queue, Map.of("id", "o-2", "amount", 7)).partition("p1").transactionId("t-2")
            .traceId(UUID.randomUUID().toString())));
    assertThat(pushed).extracting(PushResult::status).containsExactly(PushStatus.QUEUED, PushStatus.QUEUED);
    PushResult again = queen.push(PushItem.of(queue, Map.of()).partition("p1").transactionId("t-1"));
    assertThat(again.status()).isEqualTo(PushStatus.DUPLICATE);
    assertThat(again.messageId()).isEqualTo(pushed.get(0).messageId());

    PopResult popped = queen.pop(PopRequest.from(queue).batch(10));
    assertThat(popped.messages()).extracting(Message::transactionId).containsExactly("t-1", "t-2");
    assertThat(popped.messages().get(0).data(Order.class)).isEqualTo(new Order("o-1", 5));
    assertThat(popped.messages().get(1).data().path("amount").asInt()).isEqualTo(7);

    List<AckResult> acked = queen.ack(popped.messages().stream().map(Ack::completed).toList());
    assertThat(acked).extracting(AckResult::success).containsExactly(true, true);
    AckResult unknown = queen.ack(new Ack("no-such-message", popped.messages().get(0).partitionId(),
        AckStatus.COMPLETED, null, null, null));
    assertThat(unknown.success()).as("a per-item failure is data, not an exception").isFalse();
    assertThat(unknown.error()).isEqualTo("Message not found");
    assertThat(queen.pop(PopRequest.from(queue).batch(10)).isEmpty()).isTrue();
    assertThat(queen.call("GET", "/api/v1/resources/queues/" + queue, null).path("name").asText())
        .as("a route without a typed call").isEqualTo(queue);
  }

  @Test
  void aLongPollWakesOnPush() throws Exception {
    String queue = queue("long-poll");
    queen.push(PushItem.of(queue, "seed")); // the pop does not create the queue
    queen.ack(Ack.completed(queen.pop(PopRequest.from(queue)).messages().get(0)));

    CompletableFuture<PopResult> parked = client.pop(PopRequest.from(queue).waitFor(WAIT)).toCompletableFuture();
    long pushedAt = System.nanoTime();
    queen.push(PushItem.of(queue, "wake up"));
    PopResult woken = parked.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(woken.messages()).extracting(m -> m.data().asText()).containsExactly("wake up");
    assertThat(Duration.ofNanos(System.nanoTime() - pushedAt)).isLessThan(WAIT.dividedBy(2));
  }

  @Test
  void aRenewedLeaseOutlivesTheQueuesLeaseTime() {
    String queue = queue("renewed");
    queen.configure(queue, QueueOptions.builder().leaseTime(1).build());
    queen.push(PushItem.of(queue, "slow work"));
    Message message = queen.pop(PopRequest.from(queue)).messages().get(0);

    try (LeaseRenewal renewal = client.renewLease(message.leaseId(), Duration.ofSeconds(2))) {
      // extensions at 0, 1, 2 s: the third comes a second after the 1 s leaseTime has passed
      Eventually.until(WAIT, () -> renewal.renewals() >= 3, () -> "renewals: " + renewal.renewals());
      assertThat(queen.pop(PopRequest.from(queue)).isEmpty()).as("still leased").isTrue();
      assertThat(queen.ack(Ack.completed(message)).success()).isTrue();
    }
    assertThat(queen.extendLease(message.leaseId(), Duration.ofSeconds(5)).success())
        .as("the ack released the lease").isFalse();
  }

  @Test
  void aTransactionIsAllOrNothing() {
    String in = queue("tx-in");
    String out = queue("tx-out");
    queen.push(PushItem.of(in, "input"));
    queen.push(PushItem.of(out, "earlier").transactionId("result-1"));
    queen.ack(Ack.completed(queen.pop(PopRequest.from(out)).messages().get(0)));
    Message input = queen.pop(PopRequest.from(in)).messages().get(0);

    TransactionResult refused = queen.transaction(Transaction.builder().ack(Ack.completed(input))
        .push(PushItem.of(out, "fresh").transactionId("result-2"), PushItem.of(out, "again").transactionId("result-1"))
        .build());
    assertThat(refused.success()).isFalse();
    assertThat(refused.error()).isNotBlank();
    assertThat(queen.pop(PopRequest.from(out).batch(10)).isEmpty()).as("nothing of it was pushed").isTrue();

    TransactionResult done = queen.transaction(Transaction.builder().ack(Ack.completed(input))
        .push(PushItem.of(out, "fresh").transactionId("result-2")).build());
    assertThat(done.success()).as("%s", done).isTrue();
    assertThat(queen.pop(PopRequest.from(out).batch(10)).messages()).extracting(Message::transactionId)
        .containsExactly("result-2");
    assertThat(queen.pop(PopRequest.from(in)).isEmpty()).as("the input was consumed").isTrue();
  }

  @Test
  void everyConsumerGroupSeesEveryMessage() {
    String queue = queue("fan-out");
    for (int i = 0; i < 5; i++) {
      queen.push(PushItem.of(queue, i).partition("p" + (i % 2)));
    }
    List<Integer> first = new CopyOnWriteArrayList<>();
    List<Integer> second = new CopyOnWriteArrayList<>();
    PopRequest pop = PopRequest.from(queue).batch(10).waitFor(Duration.ofSeconds(2));
    try (QueueConsumer one = client.consumer(pop.group("g1")).onMessage(m -> first.add(m.data(Integer.class)));
        QueueConsumer two = client.consumer(pop.group("g2"))
            .onBatch(messages -> messages.forEach(m -> second.add(m.data(Integer.class))))) {
      Eventually.until(WAIT, () -> one.handled() == 5 && two.handled() == 5, () -> first + " / " + second);
    }
    assertThat(first).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    assertThat(second).containsExactlyInAnyOrder(0, 1, 2, 3, 4);

    assertThat(queen.deleteConsumerGroup("g1", queue).deletedPartitions()).isEqualTo(2);
    assertThat(queen.pop(PopRequest.from(queue).group("g1").batch(10).partitions(2)).messages())
        .as("a deleted group starts over").hasSize(5);
  }

  @Test
  void aMessageFailingBeyondItsRetryLimitLandsInTheDeadLetterQueue() {
    String queue = queue("dlq");
    queen.configure(queue, QueueOptions.builder().retryLimit(1).retryDelayMs(0).build());
    queen.push(PushItem.of(queue, Map.of("poison", true)).transactionId("poison-1"));
    List<String> attempts = new CopyOnWriteArrayList<>();

    try (QueueConsumer consumer = client.consumer(PopRequest.from(queue).waitFor(Duration.ofSeconds(2)))
        .onMessage(message -> {
          attempts.add(message.transactionId());
          throw new IllegalStateException("cannot digest " + message.transactionId());
        })) {
      Eventually.until(WAIT, () -> queen.deadLetters(DlqQuery.of(queue)).total() == 1,
          () -> "attempts " + attempts);
    }
    DlqPage page = queen.deadLetters(DlqQuery.of(queue));
    assertThat(page.messages()).singleElement().satisfies(dead -> {
      assertThat(dead.transactionId()).isEqualTo("poison-1");
      assertThat(dead.errorMessage()).contains("cannot digest poison-1");
      assertThat(dead.data().path("poison").asBoolean()).isTrue();
    });
    assertThat(attempts).as("retryLimit+1 deliveries").hasSize(2);
  }

  @Test
  void aDeadLetterIsRequeuedOnceOrDiscarded() {
    String queue = queue("dlq-requeue");
    queen.push(List.of(PushItem.of(queue, Map.of("n", 1)).transactionId("d-1"),
        PushItem.of(queue, Map.of("n", 2)).transactionId("d-2")));
    queen.ack(queen.pop(PopRequest.from(queue).batch(10)).messages().stream()
        .map(m -> Ack.of(m, AckStatus.DLQ, "no")).toList());
    List<DeadLetter> dead = queen.deadLetters(DlqQuery.of(queue)).messages();
    DeadLetter first = dead.stream().filter(d -> d.transactionId().equals("d-1")).findFirst().orElseThrow();
    DeadLetter second = dead.stream().filter(d -> d.transactionId().equals("d-2")).findFirst().orElseThrow();

    JsonNode requeued = queen.requeueDeadLetter(first);
    queen.deleteDeadLetter(second);

    assertThat(queen.deadLetters(DlqQuery.of(queue)).total()).isZero();
    List<Message> again = queen.pop(PopRequest.from(queue).batch(10)).messages();
    assertThat(again).singleElement().satisfies(m -> {
      assertThat(m.transactionId()).isEqualTo(requeued.path("requeued").path("transactionId").asText());
      assertThat(m.data().path("n").asInt()).isEqualTo(1);
    });
    assertThatThrownBy(() -> queen.requeueDeadLetter(first)).isInstanceOf(QueenException.class)
        .satisfies(e -> assertThat(((QueenException) e).status()).isEqualTo(404));
  }

  /** README's "Java client" consumer, line for line but for the URL, the queue and what the handler does. */
  @Test
  void theReadmeConsumer() {
    String queue = queue("readme");
    List<Order> billed = new CopyOnWriteArrayList<>();
    try (QueenClient queen = QueenClient.builder(broker.url()).build();
         QueueConsumer consumer = queen.consumer(PopRequest.from(queue).batch(10).group("billing"))
             .renewLease(Duration.ofSeconds(30))
             .onMessage(message -> billed.add(message.data(Order.class)))) {
      queen.blocking().push(PushItem.of(queue, new Order("o-1", 42)).partition("customer-7"));
      Eventually.until(WAIT, () -> consumer.handled() == 1, () -> "billed " + billed);
    }
    assertThat(billed).containsExactly(new Order("o-1", 42));
  }

  @Test
  void badInputIsAQueenExceptionWithTheServersMessage() {
    assertThatThrownBy(() -> queen.push(PushItem.of(queue("bad"), 1).traceId("not-a-uuid")))
        .isInstanceOfSatisfying(QueenException.BadRequest.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.getMessage()).containsIgnoringCase("traceId");
        });
    assertThat(queen.extendLease(UUID.randomUUID().toString(), Duration.ofSeconds(5)).error())
        .as("an unknown lease is data").isEqualTo("Lease not found");
  }

  @Test
  void anUnreachableServerIsUnavailableBeforeTheDeadline() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (QueenClient nowhere = QueenClient.builder("http://127.0.0.1:" + closedPort)
        .requestTimeout(Duration.ofSeconds(2)).build()) {
      assertThatThrownBy(() -> nowhere.blocking().push(PushItem.of("q", 1)))
          .isInstanceOfSatisfying(QueenException.Unavailable.class, e -> assertThat(e.status()).isZero());
    }
  }

  private static String queue(String name) {
    return "client-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
