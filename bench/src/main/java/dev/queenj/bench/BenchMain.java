package dev.queenj.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Entry point of the bench tools that run.sh starts as child JVMs.
 *
 * <ul>
 *   <li>{@code pgstat <pg-url>}: prints Postgres' total committed transactions (pg_stat_database), so run.sh can
 *       report commits per message around a workload.
 *   <li>{@code native <http-base> <pg-url> <seconds> <payload-bytes> [workloads]}: the native HTTP workloads and
 *       the Postgres floor, as tab-separated result rows on stdout (see {@link NativeBench}); {@code workloads} is a
 *       comma-separated subset of {@link NativeBench#WORKLOADS}, all of them when omitted. With
 *       {@code BENCH_DASHBOARD_POLL=<ms>} in the environment, a {@link DashboardPoller} polls meanwhile.
 *   <li>{@code native <http-base> <pg-url> <seconds> <payload-bytes> <workloads> <second-http-base>}: the same, with
 *       a second server on the same Postgres for the cross-instance workload ({@code crosslatency}).
 *   <li>{@code readfloor <pg-url> <queue>}: the Postgres read floor of a Kafka consume of that queue's records, as a
 *       result row on stdout (see {@link ReadFloor}).
 *   <li>{@code soak <http-base> <kafka-bootstrap> <pg-url> <seconds> <sample-seconds> <retention-seconds> <gc-log>}:
 *       the retention soak (see {@link Soak}), a table on stdout.
 *   <li>{@code sql <pg-url> <statement>}: runs one statement (run.sh sets a database's settings with it) and prints
 *       {@code ok}.
 * </ul>
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: BenchMain pgstat <pg-url> | native <http-base> <pg-url> <seconds> <payload-bytes>"
          + " [workloads] | readfloor <pg-url> <queue> | sql <pg-url> <statement>");
      System.exit(2);
    }
    switch (args[0]) {
      case "pgstat" -> System.out.println(pgCommits(args[1]));
      case "sql" -> {
        execute(args[1], args[2]);
        System.out.println("ok");
      }
      case "readfloor" -> ReadFloor.run(args[1], args[2]);
      case "soak" -> Soak.run(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
          Integer.parseInt(args[6]), args[7]);
      case "native" -> NativeBench.run(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          args.length > 5 ? List.of(args[5].split(",")) : NativeBench.WORKLOADS, args.length > 6 ? args[6] : null);
      default -> {
        System.err.println("unknown command " + args[0]);
        System.exit(2);
      }
    }
    System.exit(0);
  }

  static void execute(String pgUrl, String statement) throws Exception {
    onConnection(pgUrl, conn -> conn.query(statement).execute().mapEmpty());
  }

  static long pgCommits(String pgUrl) throws Exception {
    return onConnection(pgUrl, conn -> conn.query("SELECT sum(xact_commit)::bigint FROM pg_stat_database").execute()
        .map(rows -> rows.iterator().next().getLong(0)));
  }

  private static <T> T onConnection(String pgUrl, Function<PgConnection, Future<T>> work) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      PgConnection conn = PgConnection.connect(vertx, PgConnectOptions.fromUri(pgUrl))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      try {
        return work.apply(conn).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } finally {
        conn.close();
      }
    } finally {
      vertx.close();
    }
  }
}
