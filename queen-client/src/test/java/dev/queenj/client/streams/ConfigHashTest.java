package dev.queenj.client.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The config hash against digests computed with Queen's own algorithm (Python SDK {@code config_hash_of}:
 * {@code sha256(json.dumps([{"kind": op.kind, **op.config}, ...], separators=(",", ":")))}) for the same chains
 * written with Queen's SDK, e.g. {@code .filter(f).keyBy(k).map(m).windowTumbling({seconds: 60})
 * .reduce(fn, 0).to(queen.queue("orders.per_min"))}.
 */
class ConfigHashTest {
  @Test
  void aTumblingAggregationHashesAsQueensChain() {
    Stream stream = Stream.from(null, "orders").filter(v -> true).keyBy(v -> "k").map(v -> v)
        .tumbling(Duration.ofSeconds(60)).aggregate(0, (sum, v) -> sum).to("orders.per_min");
    assertThat(ConfigHash.shape(stream, null).toString()).isEqualTo("[{\"kind\":\"filter\"},{\"kind\":\"keyBy\"},"
        + "{\"kind\":\"map\"},{\"kind\":\"window-tumbling\",\"seconds\":60,\"gracePeriod\":0,\"idleFlushMs\":5000,"
        + "\"eventTime\":false,\"allowedLateness\":0,\"onLate\":\"drop\"},{\"kind\":\"reduce\",\"hasInitial\":true},"
        + "{\"kind\":\"sink\",\"queue\":\"orders.per_min\"}]");
    assertThat(stream.configHash()).isEqualTo("ec976d0bfbaf56195e8158d0dd5fb134be5338cc9934dfc0fed18de7a864c917");
  }

  @Test
  void statelessGatedForeachChainsHashAsQueensChain() {
    Stream stream = Stream.from(null, "requests").flatMap(v -> List.of(v)).gate((v, ctx) -> true).map(v -> v)
        .foreach(v -> { });
    assertThat(stream.configHash()).isEqualTo("d6e8f84a906311c8fe70c054aecd8d776b581abc5ec46bfa5312d4fcf51995e6");
  }

  @Test
  void everyWindowKindWithItsOptionsHashesAsQueensChain() {
    Stream sliding = Stream.from(null, "in").sliding(Duration.ofSeconds(10), Duration.ofMillis(2500))
        .grace(Duration.ofMillis(500)).eventTime(v -> v.path("ts").asLong()).reduce((a, b) -> a).to("s");
    assertThat(sliding.configHash()).isEqualTo("7f48b8ede285b240107ad5dbcf20704d7500068ca8d6d4b0591c87c53ef53d7f");
    Stream session = Stream.from(null, "in").keyBy(v -> "u").session(Duration.ofSeconds(30))
        .aggregate(0, (n, v) -> n).map(v -> v).to("sessions");
    assertThat(session.configHash()).isEqualTo("117fde062e11a86b6e3f16c6ffc12b697768bcb02e9b5fa45847ff2c53e44422");
    Stream cron = Stream.from(null, "in").cron("minute").aggregate(0, (n, v) -> n).foreach(v -> { });
    assertThat(cron.configHash()).isEqualTo("ac227814f1d36c0d16e9c4e7cf8921389d598eb20c01b70da8fb947471ff160f");
  }

  @Test
  void aNamedExtractorAggregateHashesAsQueensChain() {
    Map<String, Function<JsonNode, Object>> extractors = new LinkedHashMap<>();
    extractors.put("count", v -> 1);
    extractors.put("sum", v -> v.get("amount"));
    extractors.put("avg", v -> v.get("amount"));
    Stream stream = Stream.from(null, "orders").keyBy(v -> "k").tumbling(Duration.ofSeconds(60))
        .aggregate(extractors).to("orders.stats");
    assertThat(ConfigHash.shape(stream, null).get(2).toString())
        .isEqualTo("{\"kind\":\"aggregate\",\"fields\":[\"count\",\"sum\",\"avg\"]}");
    assertThat(stream.configHash()).isEqualTo("c8045ceb205c2e8877f601fcf258a5ff681ca6947044fd24fadbf431204f64df");
  }

  @Test
  void allowedLatenessAndOnLateAreInTheWindowsShape() {
    Stream stream = Stream.from(null, "in").tumbling(Duration.ofSeconds(10)).grace(Duration.ofSeconds(2))
        .allowedLateness(Duration.ofMillis(1500)).onLate("include").eventTime(v -> v.path("ts").asLong())
        .aggregate(0, (n, v) -> n).to("late");
    assertThat(stream.configHash()).isEqualTo("82bb0bdbca29d70166c42242f9e44ef905ea76f42a0521f136d21bbb25a9ef2d");
  }

  @Test
  void theRunsIdleFlushIsPartOfTheShapeAsInQueen() {
    Stream tiny = Stream.from(null, "in").tumbling(Duration.ofMillis(3)).aggregate(0, (n, v) -> n).to("t");
    assertThat(ConfigHash.of(tiny, Duration.ZERO))
        .isEqualTo("cdc5e7e5a431a6ecfcbc7b36cb595422a45d3123c6b5b119ec1a1032a52cb93f");
    assertThat(ConfigHash.of(tiny, Duration.ZERO)).isNotEqualTo(tiny.configHash());
    assertThat(StreamRunner.registration(tiny, "q", RunOptions.defaults().idleFlush(Duration.ZERO))
        .get("config_hash").asText()).isEqualTo(ConfigHash.of(tiny, Duration.ZERO));
  }

  @Test
  void aForeachQueryIsRegisteredWithoutASinkQueue() {
    Stream foreach = Stream.from(null, "in").map(v -> v).foreach(v -> { });
    assertThat(StreamRunner.registration(foreach, "q", RunOptions.defaults()).has("sink_queue")).isFalse();
    Stream sink = Stream.from(null, "in").to("out", v -> "p");
    assertThat(StreamRunner.registration(sink, "q", RunOptions.defaults()).get("sink_queue").asText())
        .isEqualTo("out");
  }
}
