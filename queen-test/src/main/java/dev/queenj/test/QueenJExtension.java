package dev.queenj.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link EmbeddedQueenJ}: one broker per test class (a {@code @Nested} class shares
 * its enclosing class' broker), started before the class' first test and closed after its last, injected as a
 * {@link QueenJ} parameter. Use it through the annotation, {@code @ExtendWith(QueenJExtension.class)}, or as a
 * static {@code @RegisterExtension} field to choose the settings in code:
 * <pre>{@code
 * @RegisterExtension
 * static final QueenJExtension QUEEN = new QueenJExtension().withPartitions(3);
 * }</pre>
 * The broker is started lazily by whichever callback comes first, so a non-static field works too (the broker
 * still lives for the whole class).
 */
public final class QueenJExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QueenJExtension.class);
  private static final String BROKER = "broker";

  /** Null while the settings come from {@link EmbeddedQueenJ} (or its defaults). */
  private final QueenJSettings settings;

  public QueenJExtension() {
    this(null);
  }

  private QueenJExtension(QueenJSettings settings) {
    this.settings = settings;
  }

  /** The same extension whose auto-created topics get {@code partitions} partitions. */
  public QueenJExtension withPartitions(int partitions) {
    return new QueenJExtension(new QueenJSettings(partitions, settings().autoCreateTopics()));
  }

  /** The same extension creating unknown topics on first use, or not. */
  public QueenJExtension withAutoCreateTopics(boolean autoCreateTopics) {
    return new QueenJExtension(new QueenJSettings(settings().partitions(), autoCreateTopics));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    broker(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == QueenJ.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return broker(context);
  }

  private QueenJ broker(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    // the store closes the broker when the class' context closes, and a nested class finds its outer class' broker
    return classContext.getStore(NAMESPACE)
        .getOrComputeIfAbsent(BROKER, key -> new RunningBroker(QueenJ.start(settingsFor(classContext))),
            RunningBroker.class)
        .queen();
  }

  private QueenJSettings settingsFor(ExtensionContext classContext) {
    if (settings != null) {
      return settings;
    }
    return AnnotationSupport.findAnnotation(classContext.getRequiredTestClass(), EmbeddedQueenJ.class)
        .map(QueenJSettings::of).orElse(QueenJSettings.DEFAULTS);
  }

  private QueenJSettings settings() {
    return settings != null ? settings : QueenJSettings.DEFAULTS;
  }

  /** The context of the test class: a method's context, or a class context itself. */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  /** Ties the broker's life to the store that holds it. */
  private record RunningBroker(QueenJ queen) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      queen.close();
    }
  }
}
