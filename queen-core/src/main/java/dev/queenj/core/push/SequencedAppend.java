package dev.queenj.core.push;

import dev.queenj.core.push.ProducerState.Admit;
import dev.queenj.core.push.ProducerState.Batch;
import dev.queenj.core.push.ProducerState.Duplicate;
import dev.queenj.core.push.ProducerState.Refuse;
import dev.queenj.core.push.ProducerStates.Scope;
import dev.queenj.core.queue.Queue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of {@link Append}s decided against producer states, in order: plain items are written; a producer's batch
 * is written when it continues its state (which then moves on, so the next batch of that producer in the group is
 * decided after it), answered with its original offset when it is a retry, or refused. Knows what to write
 * ({@link #items}, {@link #sequences}) and, once written, what each unit became.
 */
final class SequencedAppend {
  /** A producer batch's place: its scope, and the unit that appended it in this group (-1: stored earlier). */
  private record Origin(Scope scope, int unit) {}

  private final List<Append> units;
  private final Appended[] results;
  /** Index of each written unit's first item in {@link #items}, -1 for units not written. */
  private final int[] firstItem;
  /** For a retry of a batch appended earlier in this group: the unit that appends it. */
  private final int[] retryOf;
  private final List<PushItem> items = new ArrayList<>();
  private final Map<Scope, ProducerState> stored;
  private final Map<Scope, ProducerState> next = new LinkedHashMap<>();
  private final Map<Scope, Map<Batch, Integer>> appendedBy = new HashMap<>();
  private boolean refusedOnKnownState;

  SequencedAppend(List<Append> units, Map<String, Queue> queues, Map<Scope, ProducerState> stored) {
    this.units = units;
    this.stored = stored;
    this.results = new Appended[units.size()];
    this.firstItem = new int[units.size()];
    this.retryOf = new int[units.size()];
    for (int u = 0; u < units.size(); u++) {
      Append unit = units.get(u);
      firstItem[u] = -1;
      retryOf[u] = -1;
      if (unit.producer() == null) {
        firstItem[u] = items.size();
        items.addAll(unit.items());
        continue;
      }
      Scope scope = scopeOf(unit, queues);
      ProducerState state = next.containsKey(scope) ? next.get(scope) : stored.get(scope);
      ProducerState.Decision decision = ProducerState.decide(state, unit.producer());
      if (decision instanceof Admit admit) {
        next.put(scope, admit.next());
        appendedBy.computeIfAbsent(scope, s -> new HashMap<>())
            .put(admit.next().batches().get(admit.next().batches().size() - 1), u);
        firstItem[u] = items.size();
        items.addAll(unit.items());
      } else if (decision instanceof Duplicate duplicate) {
        if (duplicate.original().baseOffset() != null) {
          results[u] = new Appended(List.of(), duplicate.original().baseOffset(), null);
        } else {
          retryOf[u] = appendedBy.get(scope).get(duplicate.original());
        }
      } else {
        results[u] = Appended.refused(((Refuse) decision).reason());
        refusedOnKnownState = true;
      }
    }
  }

  static Scope scopeOf(Append unit, Map<String, Queue> queues) {
    PushItem first = unit.items().get(0);
    return new Scope(unit.producer().producerId(), queues.get(first.queue()).id(), first.kafka().kafkaPartition());
  }

  /** Whether some batch was refused: worth deciding again on states read fresh, since cached ones may be stale. */
  boolean refusedAny() {
    return refusedOnKnownState;
  }

  /** The items to append, in unit order. */
  List<PushItem> items() {
    return items;
  }

  /** The producer states to store with them, each conditional on the state it was decided on. */
  List<SequenceWrite> sequences() {
    List<SequenceWrite> writes = new ArrayList<>(next.size());
    next.forEach((scope, state) -> {
      List<Integer> firstItems = new ArrayList<>(state.batches().size());
      for (Batch batch : state.batches()) {
        Integer unit = batch.baseOffset() == null ? appendedBy.get(scope).get(batch) : null;
        firstItems.add(unit == null ? -1 : firstItem[unit]);
      }
      writes.add(new SequenceWrite(scope, stored.get(scope), state, firstItems));
    });
    return writes;
  }

  /**
   * What each unit became, given the outcomes of {@link #items} once stored; also the producer states as stored now,
   * with every batch's base offset, which the caller remembers.
   */
  List<Appended> results(List<PushOutcome> outcomes, Map<Scope, ProducerState> storedNow) {
    for (int u = 0; u < units.size(); u++) {
      if (firstItem[u] >= 0) {
        List<PushOutcome> mine = outcomes.subList(firstItem[u], firstItem[u] + units.get(u).items().size());
        results[u] = new Appended(List.copyOf(mine), mine.get(0).offset() == null ? -1 : mine.get(0).offset(), null);
      }
    }
    for (int u = 0; u < units.size(); u++) {
      if (retryOf[u] >= 0) {
        results[u] = new Appended(List.of(), results[retryOf[u]].baseOffset(), null);
      }
    }
    next.forEach((scope, state) -> {
      List<Batch> batches = new ArrayList<>(state.batches().size());
      for (Batch batch : state.batches()) {
        Integer unit = batch.baseOffset() == null ? appendedBy.get(scope).get(batch) : null;
        batches.add(unit == null ? batch
            : new Batch(batch.firstSequence(), batch.lastSequence(), results[unit].baseOffset()));
      }
      storedNow.put(scope, new ProducerState(state.epoch(), state.lastSequence(), List.copyOf(batches)));
    });
    return List.of(results);
  }
}
