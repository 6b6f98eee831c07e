package dev.queenj.client.streams;

/**
 * What Queen's SDKs pass as {@code ctx} next to a result after a window or a gate (their {@code _buildEmitCtx}): the
 * source partition's name and id, the result's key, and for a window's result its key (the start as ISO-8601, as in
 * the state key), start and end (epoch ms, end exclusive). The window fields are null after a gate, and in
 * {@code foreach} without a window.
 */
public record EmitContext(String partition, String partitionId, String key, String windowKey, Long windowStart,
    Long windowEnd) {

  static EmitContext of(String partition, String partitionId, Stage.Keyed result) {
    Stage.Bounds window = result.window();
    return window == null ? new EmitContext(partition, partitionId, result.key(), null, null, null)
        : new EmitContext(partition, partitionId, result.key(), Window.iso(window.start()), window.start(),
            window.end());
  }
}
