package dev.queenj.client.streams;

/**
 * A runner's failure as Queen's {@code onError(err, ctx)} hears it ({@link RunOptions#onError}): {@code phase} is
 * {@code "pop"}, {@code "cycle"} (a batch's processing threw, or the server answered {@code success:false}) or
 * {@code "flush"} (an idle flush); {@code partitionId} the source partition's id, null for a pop; {@code message} the
 * reason; {@code cause} the exception, null for a cycle the server refused. The batch of a failed cycle returns when
 * its lease expires.
 */
public record StreamError(String phase, String partitionId, String message, Throwable cause) {
}
