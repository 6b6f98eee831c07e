package dev.queenj.core.pop;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A wildcard pop discovers new messages only when its instance saw appends since the last discovery, to spare
 * concurrent consumers the same work; messages appended through another instance must still be found.
 */
class DiscoveryAcrossInstancesTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(4);

  private static PopRequest wildcard(int batch) {
    return new PopRequest("q", null, null, batch, 10, true, null, "w");
  }

  @Test
  void messagesAppendedThroughAnotherInstanceAreFoundByAWildcardPop() {
    QueenCore consumer = new QueenCore(db.database(), 8);
    QueenCore producer = new QueenCore(db.database(), 8);
    await(producer.push().push(List.of(new PushItem("q", "a", "a1", null, null, null))));
    PopResult first = await(consumer.pop().pop(wildcard(10)));
    assertThat(((PopResult.Claimed) first).messages()).hasSize(1);

    // the consumer's instance has seen no append since it last discovered the queue
    await(producer.push().push(List.of(new PushItem("q", "b", "b1", null, null, null),
        new PushItem("q", "a", "a2", null, null, null))));

    PopResult second = await(consumer.pop().pop(wildcard(10)));
    assertThat(((PopResult.Claimed) second).messages()).extracting(PoppedMessage::transactionId)
        .containsExactlyInAnyOrder("b1", "a2");
  }
}
