package dev.queenj.core.buffer;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.error.ServiceUnavailableException;
import dev.queenj.core.push.PushItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outage buffer's files: native push items appended to numbered segment files under one directory, each append
 * forced to disk before it completes.
 *
 * <p>All file work runs on one dedicated thread, never on an event loop, and in submission order. Appends wait in a
 * queue; the thread writes every append waiting at that moment and forces the file once for all of them (a group
 * fsync: while one fsync runs, the next appends gather), so concurrent pushes share the cost of a disk flush as
 * concurrent pushes share a commit in Postgres.
 *
 * <p>Replay reads whole <em>sealed</em> segments: {@link #seal} closes the segment being appended to once nothing
 * older is left, so that what the replayer reads no longer changes and new appends go to a fresh segment. A segment
 * file is deleted ({@link #drop}) only once all its items committed in Postgres. The buffer is
 * {@linkplain #isEmpty() empty} only when a seal found nothing left: it is decided on the same thread as appends, so
 * an append can never slip between "found empty" and "marked empty".
 *
 * <p>One server instance per directory: two processes appending to the same segments would interleave records.
 */
public final class PushBuffer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PushBuffer.class);
  /** Small enough that a sealed segment is read whole into memory for replay, large enough to be few files. */
  static final long SEGMENT_BYTES = 8L << 20;
  private static final String PREFIX = "segment-";
  private static final String SUFFIX = ".log";

  /** A sealed segment file and how many records (and bytes of them) it holds. */
  public record Segment(Path path, int records, long bytes) {}

  /** An append waiting for the buffer thread: one push request's records, all or none. */
  private record Pending(List<byte[]> frames, long bytes, CompletableFuture<Void> done) {}

  private final Path dir;
  private final long maxBytes;
  private final PayloadCipher cipher;
  private final ExecutorService thread;
  private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
  private final AtomicLong items = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong syncs = new AtomicLong();
  /** True while nothing is buffered; decided on the buffer thread, read anywhere. */
  private volatile boolean empty = true;
  /** See {@link #handingOver()}; decided on the buffer thread. */
  private volatile boolean handover;
  // the rest belongs to the buffer thread
  private final Deque<Segment> sealed = new ArrayDeque<>();
  private FileChannel active;
  private Path activePath;
  private int activeRecords;
  private long activeBytes;
  private long nextSequence;

  private PushBuffer(Path dir, long maxBytes, PayloadCipher cipher) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.cipher = cipher;
    this.thread = Executors.newSingleThreadExecutor(runnable -> {
      Thread t = new Thread(runnable, "queen-outage-buffer");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens the buffer in {@code dir}, created on the first append; segments left by an earlier run are read back
   * (their torn tails ignored) and replayed first. Bounded by {@code maxBytes} of records not yet replayed.
   */
  public static CompletableFuture<PushBuffer> open(Path dir, long maxBytes) {
    return open(dir, maxBytes, PayloadCipher.NONE);
  }

  /**
   * As {@link #open(Path, long)}, the payloads written sealed under {@code cipher}'s key when it has one (and records
   * sealed earlier opened with its keys).
   */
  public static CompletableFuture<PushBuffer> open(Path dir, long maxBytes, PayloadCipher cipher) {
    PushBuffer buffer = new PushBuffer(dir, maxBytes, cipher);
    return buffer.onThread(() -> {
      buffer.recover();
      return buffer;
    });
  }

  public Path dir() {
    return dir;
  }

  /** Whether nothing is buffered: no record waits for replay. */
  public boolean isEmpty() {
    return empty;
  }

  /** Items buffered and not yet replayed. */
  public long items() {
    return items.get();
  }

  /** Bytes of the records not yet replayed (segment files are deleted whole, once replayed). */
  public long bytes() {
    return bytes.get();
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Disk flushes made for appends so far: fewer than the appends when they were concurrent. */
  public long syncs() {
    return syncs.get();
  }

  /**
   * Appends the items, all or none, and completes once they are on disk; fails with
   * {@link ServiceUnavailableException} when they do not fit under the bound. Items must carry their
   * transaction ids: replay relies on them for dedup.
   */
  public CompletableFuture<Void> append(List<PushItem> toAppend) {
    List<byte[]> frames = new ArrayList<>(toAppend.size());
    long size = 0;
    for (PushItem item : toAppend) {
      byte[] frame = BufferRecords.frame(item, cipher);
      frames.add(frame);
      size += frame.length;
    }
    Pending append = new Pending(frames, size, new CompletableFuture<>());
    pending.add(append);
    try {
      thread.execute(this::flush);
    } catch (RejectedExecutionException e) {
      pending.remove(append);
      append.done.completeExceptionally(new IllegalStateException("the outage buffer is closed"));
    }
    return append.done;
  }

  /**
   * Answers every sealed segment, oldest first. Only when none is left is the segment being appended to sealed (so
   * that a replay held up by an outage works through a few large segments, not a new one per attempt); when it holds
   * at most {@code handoverRecords}, it is the last one and the buffer starts {@linkplain #handingOver() handing
   * over}; when it holds nothing, the buffer is marked empty and pushes may go straight to Postgres again.
   */
  public CompletableFuture<List<Segment>> seal(int handoverRecords) {
    return onThread(() -> {
      if (sealed.isEmpty() && active != null && activeRecords > 0) {
        handover = activeRecords <= handoverRecords;
        closeActive();
      }
      if (sealed.isEmpty()) {
        handover = false;
        empty = true;
      }
      return List.copyOf(sealed);
    });
  }

  /**
   * Whether the replay is storing the last few buffered items: new pushes should then wait for it (briefly) rather
   * than be buffered behind it, or the buffer would never drain under a steady stream of pushes.
   */
  public boolean handingOver() {
    return handover;
  }

  /** The last segment could not be replayed after all (the database went away again, or maintenance came on). */
  public CompletableFuture<Void> endHandover() {
    return onThread(() -> {
      handover = false;
      return null;
    });
  }

  /** The items of a sealed segment, in the order they were appended. */
  public CompletableFuture<List<PushItem>> read(Segment segment) {
    return onThread(() -> {
      BufferRecords.Scan scan = BufferRecords.scan(segment.path(), segment.records());
      List<PushItem> read = new ArrayList<>(scan.bodies().size());
      scan.bodies().forEach(body -> read.add(BufferRecords.decode(body, cipher)));
      return read;
    });
  }

  /** Deletes a sealed segment whose items all committed. */
  public CompletableFuture<Void> drop(Segment segment) {
    return onThread(() -> {
      Files.deleteIfExists(segment.path());
      if (sealed.remove(segment)) {
        items.addAndGet(-segment.records());
        bytes.addAndGet(-segment.bytes());
      }
      return null;
    });
  }

  /**
   * Keeps items that replay can never store (Postgres refuses them as values) in {@code rejected.log} next to the
   * segments, in the same format, so that they are set aside rather than lost or retried for ever.
   */
  public CompletableFuture<Void> reject(PushItem item) {
    return onThread(() -> {
      try (FileChannel rejected = FileChannel.open(dir.resolve("rejected.log"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        writeFully(rejected, BufferRecords.frame(item, cipher));
        rejected.force(false);
      }
      return null;
    });
  }

  /** Waits for the appends already submitted, then closes the files. */
  @Override
  public void close() {
    try {
      thread.execute(() -> {
        try {
          if (active != null) {
            active.close();
          }
        } catch (IOException e) {
          LOG.warn("closing the outage buffer: {}", e.toString());
        }
      });
    } catch (RejectedExecutionException e) {
      return;
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("the outage buffer did not finish its file work within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void recover() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed.filter(p -> sequenceOf(p) >= 0).sorted((a, b) -> Long.compare(sequenceOf(a), sequenceOf(b)))
          .toList();
    }
    for (Path file : files) {
      nextSequence = Math.max(nextSequence, sequenceOf(file) + 1);
      BufferRecords.Scan scan = BufferRecords.scan(file, Integer.MAX_VALUE);
      if (scan.torn()) {
        // only the tail of the newest segment can be torn by a crash; its unfinished append was never answered
        LOG.warn("outage buffer {}: ignoring {} bytes after the last intact record (a write cut short)", file,
            scan.fileBytes() - scan.validBytes());
      }
      if (scan.bodies().isEmpty()) {
        Files.delete(file);
        continue;
      }
      sealed.add(new Segment(file, scan.bodies().size(), scan.validBytes()));
      items.addAndGet(scan.bodies().size());
      bytes.addAndGet(scan.validBytes());
    }
    empty = sealed.isEmpty();
    if (!empty) {
      LOG.info("outage buffer {}: {} items ({} bytes) left by an earlier run, to be replayed", dir, items.get(),
          bytes.get());
    }
  }

  /** Writes every waiting append, forces the file once, then completes them. Runs on the buffer thread. */
  private void flush() {
    List<Pending> batch = new ArrayList<>();
    for (Pending next = pending.poll(); next != null; next = pending.poll()) {
      batch.add(next);
    }
    if (batch.isEmpty()) {
      return;
    }
    List<Pending> written = new ArrayList<>(batch.size());
    try {
      for (Pending append : batch) {
        if (bytes.get() + append.bytes() > maxBytes) {
          append.done().completeExceptionally(new ServiceUnavailableException(
              "The outage buffer is full (" + maxBytes + " bytes): try again once the database is back"));
          continue;
        }
        ensureActive();
        for (byte[] frame : append.frames()) {
          writeFully(active, frame);
        }
        activeRecords += append.frames().size();
        activeBytes += append.bytes();
        items.addAndGet(append.frames().size());
        bytes.addAndGet(append.bytes());
        written.add(append);
      }
      if (!written.isEmpty()) {
        active.force(false);
        syncs.incrementAndGet();
        empty = false;
      }
      written.forEach(append -> append.done().complete(null));
    } catch (IOException | RuntimeException e) {
      LOG.error("outage buffer {}: append failed: {}", dir, e.toString());
      // What was written may be on disk, torn or whole; either way nothing more goes after it in that file.
      // Records that made it whole are replayed although their pushes were refused: at least once, never lost.
      batch.forEach(append -> append.done().completeExceptionally(e));
      try {
        if (active != null && activeRecords > 0) {
          empty = false;
          closeActive();
        } else if (active != null) {
          active.close();
          active = null;
        }
      } catch (IOException closing) {
        active = null;
      }
    }
  }

  private void ensureActive() throws IOException {
    if (active != null && activeBytes >= SEGMENT_BYTES) {
      closeActive();
    }
    if (active == null) {
      Files.createDirectories(dir);
      activePath = dir.resolve(String.format("%s%016d%s", PREFIX, nextSequence++, SUFFIX));
      active = FileChannel.open(activePath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      activeRecords = 0;
      activeBytes = 0;
      // the new file's directory entry must be durable too, or an fsynced record could vanish with its file
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    }
  }

  private void closeActive() throws IOException {
    active.close();
    active = null;
    sealed.add(new Segment(activePath, activeRecords, activeBytes));
  }

  private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static long sequenceOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private interface FileWork<T> {
    T run() throws IOException;
  }

  private <T> CompletableFuture<T> onThread(FileWork<T> work) {
    Supplier<T> supplier = () -> {
      try {
        return work.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    try {
      return CompletableFuture.supplyAsync(supplier, thread);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the outage buffer is closed"));
    }
  }
}
