package dev.queenj.client;

/**
 * Whether a call may be sent again after a failure, as Queen's SDKs do (their HTTP clients retry 5xx, 408, 429 and
 * transport errors up to 3 times, backoff 100 ms doubling to at most 5 s, and give up at once on any other 4xx).
 * Every retry stays inside the call's deadline: a retry that could not finish before it is not started.
 *
 * <p>The SDKs retry every call alike. A failure after the server applied a call (the answer was lost, or a 5xx from
 * a proxy) makes a retried call apply twice unless the call is idempotent, so we retry only what a replay cannot
 * harm: reads, idempotent settings, acks (a replayed ack finds the cursor already there or the lease gone), and pushes
 * because every pushed item carries a transaction id (the client makes one when the caller gave none), which the
 * server deduplicates per partition. What a replay could apply twice is retried only when the server surely did not
 * apply it ({@link #IF_NOT_APPLIED}).
 */
public enum Retry {
  /** A replay is harmless: retried on 5xx, 408, 429 and transport errors (no answer, connection reset, refused). */
  SAFE,
  /**
   * A replay could apply twice: retried only when the server did not apply the call — connection refused, 408, 429
   * and 503 (answers that mean the request was not processed) — never after a lost answer or another 5xx.
   */
  IF_NOT_APPLIED
}
