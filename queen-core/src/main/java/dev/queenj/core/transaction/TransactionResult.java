package dev.queenj.core.transaction;

import dev.queenj.core.ack.AckOutcome;
import dev.queenj.core.push.PushOutcome;
import java.util.List;

/** Per-operation results of a committed transaction, push items flattened in request order. */
public record TransactionResult(List<Step> steps) {

  public sealed interface Step {}

  public record AckStep(AckOutcome outcome) implements Step {}

  public record PushStep(PushOutcome outcome) implements Step {}
}
