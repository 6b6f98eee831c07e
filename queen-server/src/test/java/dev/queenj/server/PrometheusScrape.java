package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.server.TestServer.Reply;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** One answer of {@code /metrics/prometheus}, read as Prometheus' text format: sample lines and metric names. */
record PrometheusScrape(String text) {
  static PrometheusScrape of(TestServer server) {
    Reply reply = server.get("/metrics/prometheus");
    assertThat(reply.status()).isEqualTo(200);
    return new PrometheusScrape(reply.body().asText());
  }

  boolean contains(String fragment) {
    return text.contains(fragment);
  }

  /** The value of the sample {@code series} (its name and labels exactly as written, e.g. {@code a{queue="q"}}). */
  Optional<Double> find(String series) {
    return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
        .map(line -> Double.parseDouble(line.substring(series.length()).trim().split(" ")[0]));
  }

  double value(String series) {
    return find(series).orElseThrow(() -> new AssertionError("no " + series + " in the scrape"));
  }

  /** The sample lines of the metric {@code name}, whatever their labels. */
  List<String> samples(String name) {
    return text.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " ")).toList();
  }

  /** Every name a query may use: the samples' ({@code _bucket}, {@code _count}, ... included) and the families'. */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (String line : text.lines().toList()) {
      if (line.startsWith("# TYPE ")) {
        names.add(line.split(" ")[2]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]")[0]);
      }
    }
    return names;
  }
}
