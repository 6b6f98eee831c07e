package dev.queenj.core.testing;

import dev.queenj.core.storage.Database;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared test Postgres for one test class: a Vert.x and a pool of {@code poolSize} connections, opened before
 * the class's first test (and its own {@code @BeforeAll}) and closed after its last; every table is emptied before
 * each test (and its own {@code @BeforeEach}). Register it as a static field:
 * {@code @RegisterExtension static final TestDatabase db = new TestDatabase(4);}
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final int poolSize;
  private Vertx vertx;
  private Database database;

  public TestDatabase(int poolSize) {
    this.poolSize = poolSize;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    vertx = Vertx.vertx();
    database = TestPostgres.database(vertx, poolSize);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestPostgres.await(database.close());
    TestPostgres.await(vertx.close());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    TestPostgres.reset(database);
  }

  public Vertx vertx() {
    return vertx;
  }

  public Database database() {
    return database;
  }
}
