package dev.queenj.kafka.api;

import java.util.function.UnaryOperator;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Authorization's verdict on one request, taken before its handler runs: refused as a whole (answered with the
 * handler's error answer carrying {@link #refusal()}), or admitted, perhaps with the parts the principal may not
 * touch taken out of the request, in which case {@link #complete} puts them back into the answer with their
 * authorization error (or filters what the principal may not see out of it).
 */
public final class Admission {
  public static final Admission ADMITTED = new Admission(Errors.NONE, UnaryOperator.identity());

  private final Errors refusal;
  private final UnaryOperator<ApiMessage> completion;

  private Admission(Errors refusal, UnaryOperator<ApiMessage> completion) {
    this.refusal = refusal;
    this.completion = completion;
  }

  public static Admission refused(Errors error) {
    return new Admission(error, UnaryOperator.identity());
  }

  /** Admitted; {@code completion} amends the handler's answer (never called with null: nothing is sent then). */
  public static Admission amending(UnaryOperator<ApiMessage> completion) {
    return new Admission(Errors.NONE, completion);
  }

  /** Errors.NONE when admitted. */
  public Errors refusal() {
    return refusal;
  }

  public ApiMessage complete(ApiMessage answer) {
    return answer == null ? null : completion.apply(answer);
  }
}
