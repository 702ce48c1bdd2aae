package io.tributary.kafka.decode.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** The optional serde library: present here (a test dependency), and missing from a class loader that cannot see it. */
class GlueLibraryTest {

  @Test
  void namesTheArtifactToAddWhenTheLibraryIsMissing() throws Exception {
    try (URLClassLoader withoutSerde = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> GlueLibrary.require(withoutSerde))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("tributary.decoder.format=glue-avro")
          .hasMessageContaining("software.amazon.glue:schema-registry-serde");
    }
  }

  @Test
  void passesWhenTheLibraryIsThere() {
    assertThatCode(() -> GlueLibrary.require(GlueLibraryTest.class.getClassLoader())).doesNotThrowAnyException();
  }
}
