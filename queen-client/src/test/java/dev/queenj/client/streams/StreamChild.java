package dev.queenj.client.streams;

import dev.queenj.client.QueenClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stream runner in a JVM of its own, for {@link StreamTest}'s kill test: {@code <url> <source> <sink> <queryId>
 * <batchSize>} runs {@link StreamTest#salesPerCustomer} (no idle flush) and prints {@code cycles <n>} whenever its
 * committed cycles change. It stops by itself on {@code stop} or the end of its stdin (the test JVM is gone), or
 * after {@link #LIFETIME}.
 */
public final class StreamChild {
  static final Duration LIFETIME = Duration.ofSeconds(60);

  private StreamChild() {
  }

  public static void main(String[] args) throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Thread stdin = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null && !line.equals("stop")) {
          // only "stop" means something
        }
      } catch (IOException e) {
        // the parent is gone
      }
      stop.countDown();
    }, "stdin");
    stdin.setDaemon(true);
    stdin.start();
    try (QueenClient client = QueenClient.builder(args[0]).requestTimeout(Duration.ofSeconds(10)).build()) {
      RunOptions options = RunOptions.defaults().maxWait(Duration.ofMillis(200)).batchSize(Integer.parseInt(args[4]))
          .maxPartitions(1).idleFlush(Duration.ZERO);
      StreamRunner runner = StreamTest.salesPerCustomer(client, args[1], args[2], StreamTest.WINDOW)
          .run(args[3], options);
      long deadline = System.nanoTime() + LIFETIME.toNanos();
      long reported = -1;
      while (!stop.await(2, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
        long cycles = runner.committedCycles();
        if (cycles != reported) {
          System.out.println("cycles " + cycles);
          System.out.flush();
          reported = cycles;
        }
      }
      runner.close();
      System.out.println("stopped " + runner.committedCycles() + " failed " + runner.failedCycles());
      System.out.flush();
    }
  }
}
