package io.tributary.kafka.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests the JVM's one {@link EmbeddedKafka} broker: annotate the class with
 * {@code @ExtendWith(EmbeddedKafkaExtension.class)} and take an {@code EmbeddedKafka} parameter in a
 * constructor, lifecycle or test method.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, ParameterResolver {

  @Override
  public void beforeAll(ExtensionContext context) {
    EmbeddedKafka.shared();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return EmbeddedKafka.shared();
  }
}
