package dev.queenj.core.push;

import dev.queenj.core.error.QueenException;
import java.util.List;

/**
 * What became of one {@link Append}: an outcome per item (none for a producer's batch that was a retry), and for a
 * producer's batch its base offset (the original one for a retry); or, for a producer's batch, why it was refused.
 */
record Appended(List<PushOutcome> outcomes, long baseOffset, QueenException refused) {
  static Appended refused(QueenException reason) {
    return new Appended(List.of(), -1, reason);
  }
}
