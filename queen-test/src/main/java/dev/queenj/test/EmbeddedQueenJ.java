package dev.queenj.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a Queen-J broker in the test's JVM for the annotated class, as spring-kafka-test's {@code @EmbeddedKafka}
 * does: free Kafka and HTTP ports, a fresh database of its own, stopped after the class. A test method or
 * constructor takes a {@link QueenJ} parameter for the addresses; they are also system properties (see
 * {@link QueenJ}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(QueenJExtension.class)
public @interface EmbeddedQueenJ {
  /** Partitions of every topic created on first use (Kafka's {@code num.partitions}, 1 by default as in Kafka). */
  int partitions() default QueenJSettings.DEFAULT_PARTITIONS;

  /** Whether producing to or subscribing to an unknown topic creates it (Kafka's {@code auto.create.topics.enable}). */
  boolean autoCreateTopics() default QueenJSettings.DEFAULT_AUTO_CREATE_TOPICS;
}
