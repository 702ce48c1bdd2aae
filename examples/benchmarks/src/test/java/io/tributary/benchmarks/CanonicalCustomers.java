package io.tributary.benchmarks;

import io.tributary.benchmarks.CustomersData.Customer;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/** Test support: a generated customer as the row values Tributary's decoders produce for it. */
public final class CanonicalCustomers {
  private CanonicalCustomers() {}

  /** The canonical values of the core types the columns map to (null columns left out); null for null. */
  public static Map<String, Object> of(Customer c) {
    if (c == null) {
      return null;
    }
    Map<String, Object> m = new HashMap<>();
    m.put("id", c.id());
    m.put("name", c.name());
    m.put("email", c.email());
    m.put("balance", c.balance());
    m.put("created_at", c.createdAt() == null ? null : c.createdAt() * 1000L);
    m.put("updated_at", c.updatedAt() == null ? null
        : java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, java.time.Instant.parse(c.updatedAt())));
    m.put("birthday", c.birthday());
    m.put("active", c.active() == null ? null : (int) c.active());
    m.put("score", c.score());
    m.put("notes", c.notes());
    m.put("prefs", c.prefs());
    m.put("tier", c.tier());
    m.put("avatar", c.avatar() == null ? null : ByteBuffer.wrap(c.avatar()));
    m.put("wake_time", c.wakeTime());
    m.values().removeIf(v -> v == null);
    return m;
  }
}
