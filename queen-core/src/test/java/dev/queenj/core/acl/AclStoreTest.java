package dev.queenj.core.acl;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ACLs in Postgres, and a second instance's snapshot catching up with them. */
class AclStoreTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(2);

  @Test
  void storesListsDeletesAndAnotherInstanceCatchesUp() {
    AclStore here = new AclStore(db.database());
    AclStore there = new AclStore(db.database());
    await(there.start(db.vertx()));
    try {
      AclBinding read = new AclBinding(ResourceKind.TOPIC, "t", PatternType.LITERAL, "User:alice", "*",
          AclOperation.READ, AclPermission.ALLOW);
      await(here.create(List.of(read, read)));
      assertThat(here.snapshot().all()).as("a change made here applies here at once").containsExactly(read);
      List<StoredAcl> stored = await(here.list());
      assertThat(stored).extracting(StoredAcl::binding).as("creating twice stores once").containsExactly(read);
      await(there.refresh());
      assertThat(there.snapshot().all()).containsExactly(read);
      assertThat(await(here.delete(List.of(stored.get(0).id())))).extracting(StoredAcl::binding)
          .containsExactly(read);
      assertThat(here.snapshot().all()).isEmpty();
    } finally {
      there.stop();
    }
  }
}
