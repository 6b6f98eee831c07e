/**
 * Queen's Kafka front door (spec: {@code shared/spec/kafka-wire.md}): the listener on Vert.x's own Netty event loops,
 * the frame and message codec on kafka-clients' generated classes, and one handler per Kafka API, all registered in
 * {@link dev.queenj.kafka.KafkaApis} — the table that both dispatches requests and answers ApiVersions, so what is
 * advertised is exactly what is served.
 *
 * <p>Packages: {@code wire} speaks Netty (framing, decoding, encoding, per-connection ordering); {@code api} is the
 * Netty-free contract handlers implement, with the one place where failures become Kafka error codes; one package per
 * API group ({@code metadata}, {@code produce}, {@code fetch}, {@code group}, {@code admin}, {@code txn}, …) maps
 * requests onto {@link dev.queenj.core.QueenCore} services.
 *
 * <p>Storage goes through queen-core's {@link dev.queenj.core.storage.Database}; the only SQL here is Kafka-only state
 * (consumer-group offsets in {@code group}, producer ids in {@code produce}), kept in {@code .sql} resources next to
 * the class that runs it; transactions live in queen-core's {@code kafkatxn}. Never blocks an event loop.
 */
package dev.queenj.kafka;
