package dev.queenj.server;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One server for the whole test JVM, started on first use, emptied before every test, and handed to test
 * constructors or methods as a {@link TestServer} or an {@link Api}. Tests that need other settings start their own.
 */
public final class RunningServer implements BeforeEachCallback, ParameterResolver {
  private static TestServer shared;

  static synchronized TestServer shared() {
    if (shared == null) {
      shared = TestServer.start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-server-stop"));
    }
    return shared;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    shared().reset();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestServer.class || type == Api.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Api.class ? new Api(shared()) : shared();
  }
}
