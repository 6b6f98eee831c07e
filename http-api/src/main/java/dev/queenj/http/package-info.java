/**
 * Queen's native HTTP API (spec: {@code shared/spec/queen-http-api.md}): routing, JSON in and out, long-poll
 * parking, CORS, Prometheus metrics (and the same meters as JSON), the operators' status and trace routes, and the web dashboard (static files served at {@code /}). Maps requests onto {@link dev.queenj.core.QueenCore} services and core errors
 * onto HTTP statuses in {@link dev.queenj.http.HttpErrors}. Owns no SQL and no storage state.
 *
 * <p>Must not touch: SQL, the SQL client or {@code Database.pool()} (the health check calls {@code Database.ping()};
 * Postgres' refusals are read through {@code PostgresError}), nor kafka-wire. queen-server's
 * {@code ModuleBoundariesTest} holds these rules.
 */
package dev.queenj.http;
