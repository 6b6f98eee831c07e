package dev.queenj.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.testing.StatementResources;
import dev.queenj.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StatementsTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(1);

  @Test
  void everyStatementOfTheKafkaFrontDoorIsPreparedWithoutParameterTypes() {
    assertThat(StatementResources.notPreparableAsWritten(db.database(), "dev/queenj/kafka")).isEmpty();
  }
}
