/**
 * The runnable: configuration from environment variables and flags, the embedded Postgres default, wiring of core
 * and protocols on one Vert.x instance, and graceful shutdown. Holds no broker logic.
 */
package dev.queenj.server;
