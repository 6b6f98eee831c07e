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
 * <p>Owns the Kafka protocol and what lives only in this instance's memory (classic group membership and its
 * deadlines). Must not touch: SQL, the SQL client or {@code Database.pool()} — what Kafka stores goes through typed
 * methods of queen-core ({@code group.KafkaGroupOffsets} for committed offsets, {@code kafkatxn.KafkaTransactions} for
 * producer ids and transactions); nor http-api. queen-server's {@code ModuleBoundariesTest} holds these rules. Never
 * blocks an event loop.
 */
package dev.queenj.kafka;
