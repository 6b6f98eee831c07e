package dev.queenj.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One server per directory of state (QUEEN_DATA_DIR with its embedded Postgres, FILE_BUFFER_DIR with the outage
 * buffer): an exclusive lock on {@code queen.lock} in it, held for the server's life. A second server refuses at once instead of fighting the first one over its Postgres; and only the holder may
 * treat a Postgres still running on the directory as left over by a killed server. The operating system drops the
 * lock when the holder dies, however it dies.
 */
final class DataDirLock implements AutoCloseable {
  static final String FILE_NAME = "queen.lock";

  /**
   * Directories locked by this JVM. POSIX locks belong to the process, so a second lock attempt from the same JVM
   * would not be refused by the OS, and closing its channel would even release the first holder's lock.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path dataDir;
  private final FileChannel channel;

  /** The setting that names a locked directory and its flag, for the refusal message. */
  record Owner(String setting, String flag) {
    static final Owner DATA_DIR = new Owner("QUEEN_DATA_DIR", "--data-dir");
    static final Owner BUFFER_DIR = new Owner("FILE_BUFFER_DIR", "--file-buffer-dir");
  }

  private DataDirLock(Path dataDir, FileChannel channel) {
    this.dataDir = dataDir;
    this.channel = channel;
  }

  /** Locks {@code dataDir} or throws {@link IllegalStateException} with one line naming the holder. */
  static DataDirLock acquire(Path dataDir, Owner owner) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
      Path key = dataDir.toRealPath();
      if (!HELD.add(key)) {
        throw inUse(owner, dataDir, ProcessHandle.current().pid());
      }
      FileChannel channel = null;
      try {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel);
        if (lock == null) {
          throw inUse(owner, dataDir, holder(channel));
        }
        // the holder's pid, for the refusal message of the next server
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
            0);
        return new DataDirLock(key, channel);
      } catch (IOException | RuntimeException e) {
        HELD.remove(key);
        if (channel != null) {
          channel.close();
        }
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + owner.setting() + " " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static long holder(FileChannel channel) throws IOException {
    ByteBuffer content = ByteBuffer.allocate(32);
    channel.read(content, 0);
    String text = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII).strip();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static IllegalStateException inUse(Owner owner, Path dataDir, long pid) {
    return new IllegalStateException(owner.setting() + " " + dataDir + " is in use by another Queen-J server"
        + (pid > 0 ? " (pid " + pid + ")" : "") + "; stop it first, or give this one its own " + owner.flag());
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      HELD.remove(dataDir);
    }
  }
}
