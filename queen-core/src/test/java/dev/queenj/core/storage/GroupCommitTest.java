package dev.queenj.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Group commit's batching and failure isolation, with a writer whose completion the test controls. */
class GroupCommitTest {
  private final List<List<String>> batches = new ArrayList<>();
  private final List<Promise<List<String>>> pending = new ArrayList<>();

  private Future<List<String>> write(List<String> items) {
    batches.add(List.copyOf(items));
    Promise<List<String>> promise = Promise.promise();
    pending.add(promise);
    return promise.future();
  }

  private void commitOldest(boolean succeed) {
    Promise<List<String>> oldest = pending.remove(0);
    List<String> batch = batches.get(batches.size() - pending.size() - 1);
    if (succeed) {
      oldest.complete(batch.stream().map(String::toUpperCase).toList());
    } else {
      oldest.fail(new IllegalStateException("batch failed"));
    }
  }

  @Test
  void requestsArrivingDuringAWriteShareTheNextBatch() {
    GroupCommit<String, String> commit = new GroupCommit<>(this::write, 100);
    Future<List<String>> first = commit.submit(List.of("a"));
    Future<List<String>> second = commit.submit(List.of("b", "c"));
    Future<List<String>> third = commit.submit(List.of("d"));
    assertThat(batches).containsExactly(List.of("a"));

    commitOldest(true);
    assertThat(first.result()).containsExactly("A");
    assertThat(batches).containsExactly(List.of("a"), List.of("b", "c", "d"));

    commitOldest(true);
    assertThat(second.result()).containsExactly("B", "C");
    assertThat(third.result()).containsExactly("D");
  }

  @Test
  void aFailedMergedBatchIsRetriedRequestByRequest() {
    GroupCommit<String, String> commit = new GroupCommit<>(this::write, 100);
    commit.submit(List.of("a"));
    Future<List<String>> good = commit.submit(List.of("b"));
    Future<List<String>> bad = commit.submit(List.of("c"));
    commitOldest(true);
    commitOldest(false);
    assertThat(batches.get(batches.size() - 1)).containsExactly("b");
    commitOldest(true);
    assertThat(good.result()).containsExactly("B");
    assertThat(batches.get(batches.size() - 1)).containsExactly("c");
    commitOldest(false);
    assertThat(bad.failed()).isTrue();
  }

  @Test
  void aBatchClosesAtItsItemLimit() {
    GroupCommit<String, String> commit = new GroupCommit<>(this::write, 2);
    commit.submit(List.of("a"));
    commit.submit(List.of("b"));
    commit.submit(List.of("c"));
    commit.submit(List.of("d"));
    commitOldest(true);
    assertThat(batches.get(1)).containsExactly("b", "c");
  }

  @Test
  void requestsOnDifferentLanesAreWrittenAtOnceAndRequestsOnOneLaneAreMerged() {
    GroupCommit<String, String> commit = new GroupCommit<>(this::write, 100);
    commit.submit(List.of("a"), 0b01);
    commit.submit(List.of("b"), 0b10);
    assertThat(batches).containsExactly(List.of("a"), List.of("b"));

    commit.submit(List.of("c"), 0b01);
    commit.submit(List.of("d"), 0b01);
    Future<List<String>> e = commit.submit(List.of("e"), 0b10);
    commitOldest(true);
    assertThat(batches).containsExactly(List.of("a"), List.of("b"), List.of("c", "d"));
    commitOldest(true);
    assertThat(batches).last().isEqualTo(List.of("e"));
    commitOldest(true);
    commitOldest(true);
    assertThat(e.result()).containsExactly("E");
  }

  @Test
  void aRequestOnSeveralLanesWaitsForAllOfThemAndLaterRequestsThereWaitBehindIt() {
    GroupCommit<String, String> commit = new GroupCommit<>(this::write, 100);
    commit.submit(List.of("a"), 0b01);
    commit.submit(List.of("both"), 0b11);
    commit.submit(List.of("b"), 0b10);
    commit.submit(List.of("c"), 0b100);
    // lane 1 is free, but "b" would overtake "both", which waits for lane 0; lane 2 is nobody's
    assertThat(batches).containsExactly(List.of("a"), List.of("c"));

    commitOldest(true);
    // "both" takes lanes 0 and 1 together, with "b" after it on lane 1
    assertThat(batches).last().isEqualTo(List.of("both", "b"));
  }
}
