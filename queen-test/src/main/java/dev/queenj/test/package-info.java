/**
 * Queen-J for users' test suites: {@link dev.queenj.test.EmbeddedQueenJ} (JUnit 5) runs the broker in the test's
 * JVM over an embedded Postgres shared by the JVM, a fresh database per test class; {@link
 * dev.queenj.test.QueenJContainer} runs the Docker image with Testcontainers. Test code only: nothing here belongs in
 * a production classpath.
 */
package dev.queenj.test;
