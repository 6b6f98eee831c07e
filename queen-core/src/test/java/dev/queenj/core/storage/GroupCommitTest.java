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
}
