package io.tributary.kafka.decode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The byte-level recognition of JsonConverter envelopes and of schema blocks seen before. */
class SchemaCacheTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void findsSchemaAndPayload() {
    byte[] b = utf8(" {\n \"schema\" : {\"a\":\"}\\\"{\",\"b\":[{}]} ,\t\"payload\": {\"x\":1}}");
    int start = EnvelopeScanner.schemaStart(b);
    assertThat((char) b[start]).isEqualTo('{');
    int end = EnvelopeScanner.valueEnd(b, start);
    assertThat(new String(b, start, end - start, StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"}\\\"{\",\"b\":[{}]}");
    int payload = EnvelopeScanner.payloadStart(b, end);
    assertThat(new String(b, payload, b.length - payload, StandardCharsets.UTF_8)).isEqualTo("{\"x\":1}}");
  }

  @Test
  void rejectsOtherShapes() {
    assertThat(EnvelopeScanner.schemaStart(utf8("{\"payload\":{},\"schema\":{}}"))).isEqualTo(-1);
    assertThat(EnvelopeScanner.schemaStart(utf8("{\"schema\":null,\"payload\":{}}"))).isEqualTo(-1);
    assertThat(EnvelopeScanner.schemaStart(utf8("[1]"))).isEqualTo(-1);
    assertThat(EnvelopeScanner.valueEnd(utf8("{\"schema\": {\"type\": "), 0)).isEqualTo(-1);
    assertThat(EnvelopeScanner.valueEnd(utf8("{\"a\":\"unterminated}"), 0)).isEqualTo(-1);
    assertThat(EnvelopeScanner.payloadStart(utf8("{} \"payload\":1"), 2)).isEqualTo(-1);
    assertThat(EnvelopeScanner.payloadStart(utf8("{},\"extra\":1"), 2)).isEqualTo(-1);
  }

  @Test
  void matchesRecentAndOlderSchemasByContent() {
    SchemaCache<String> cache = new SchemaCache<>(10);
    AtomicInteger builds = new AtomicInteger();
    java.util.function.Function<byte[], String> builder = bytes -> {
      builds.incrementAndGet();
      return new String(bytes, StandardCharsets.UTF_8);
    };
    byte[] a = utf8("xx{\"f\":[1,2]}yy");
    byte[] b = utf8("x{\"f\":[1,3]}");
    byte[] longer = utf8("{\"f\":[1,2,3]}");
    assertThat(cache.match(a, 2, builder).plan()).isEqualTo("{\"f\":[1,2]}");
    assertThat(cache.match(a, 2, builder).length()).isEqualTo(11);
    assertThat(cache.match(b, 1, builder).plan()).isEqualTo("{\"f\":[1,3]}");
    assertThat(cache.match(a, 2, builder).plan()).isEqualTo("{\"f\":[1,2]}");
    // shares a prefix with the most recent schema but is longer: must not be taken for it
    assertThat(cache.match(longer, 0, builder).plan()).isEqualTo("{\"f\":[1,2,3]}");
    assertThat(builds.get()).isEqualTo(3);
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.match(utf8("{\"f\":"), 0, builder)).isNull();
  }

  @Test
  void cachesNullPlans() {
    SchemaCache<String> cache = new SchemaCache<>(10);
    AtomicInteger builds = new AtomicInteger();
    byte[] bytes = utf8("{\"type\":\"string\"}");
    for (int i = 0; i < 3; i++) {
      assertThat(cache.match(bytes, 0, x -> {
        builds.incrementAndGet();
        return null;
      }).plan()).isNull();
    }
    assertThat(builds.get()).isEqualTo(1);
  }
}
