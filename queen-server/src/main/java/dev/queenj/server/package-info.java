/**
 * The runnable: configuration from environment variables and flags, the embedded Postgres default, wiring of core
 * and protocols on one Vert.x instance, and graceful shutdown. Holds no broker logic and no SQL: it connects the
 * {@code Database} and hands it to queen-core. Its test {@code ModuleBoundariesTest} holds every module's boundaries,
 * since this module's test classpath is the one that holds them all.
 */
package dev.queenj.server;
