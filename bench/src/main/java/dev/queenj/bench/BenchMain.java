package dev.queenj.bench;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of the bench tools that run.sh starts as child JVMs.
 *
 * <ul>
 *   <li>{@code pgstat <pg-url>}: prints Postgres' total committed transactions (pg_stat_database), so run.sh can
 *       report commits per message around a workload.
 *   <li>{@code native <http-base> <pg-url> <seconds> <payload-bytes> [workloads]}: the native HTTP workloads and
 *       the Postgres floor, as tab-separated result rows on stdout (see {@link NativeBench}); {@code workloads} is a
 *       comma-separated subset of {@link NativeBench#WORKLOADS}, all of them when omitted.
 * </ul>
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: BenchMain pgstat <pg-url> | native <http-base> <pg-url> <seconds> <payload-bytes>"
          + " [workloads]");
      System.exit(2);
    }
    switch (args[0]) {
      case "pgstat" -> System.out.println(pgCommits(args[1]));
      case "native" -> NativeBench.run(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          args.length > 5 ? List.of(args[5].split(",")) : NativeBench.WORKLOADS);
      default -> {
        System.err.println("unknown command " + args[0]);
        System.exit(2);
      }
    }
    System.exit(0);
  }

  static long pgCommits(String pgUrl) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      PgConnection conn = PgConnection.connect(vertx, PgConnectOptions.fromUri(pgUrl))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      long commits = conn.query("SELECT sum(xact_commit)::bigint FROM pg_stat_database").execute()
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
          .iterator().next().getLong(0);
      conn.close();
      return commits;
    } finally {
      vertx.close();
    }
  }
}
