package dev.queenj.server;

import java.nio.file.Path;

/**
 * The outage buffer: where pushes go while Postgres cannot take them (or push maintenance is on), and how large it
 * may grow before pushes are refused with 503.
 *
 * @param dir its segment files; one server instance per directory
 * @param maxBytes bytes of buffered pushes not yet replayed
 */
public record BufferConfig(Path dir, long maxBytes) {
  public static final long DEFAULT_MAX_BYTES = 1L << 30;
  public static final String DEFAULT_SUBDIR = "buffer";

  public BufferConfig {
    if (dir == null) {
      throw new IllegalArgumentException("FILE_BUFFER_DIR is required");
    }
    dir = dir.toAbsolutePath().normalize();
    if (maxBytes < 1) {
      throw new IllegalArgumentException("FILE_BUFFER_MAX_BYTES must be at least 1, got " + maxBytes);
    }
  }

  /** The default: {@code buffer} under the data directory, 1 GiB. */
  public static BufferConfig under(Path dataDir) {
    return new BufferConfig(dataDir.resolve(DEFAULT_SUBDIR), DEFAULT_MAX_BYTES);
  }
}
