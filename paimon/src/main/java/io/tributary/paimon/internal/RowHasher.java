package io.tributary.paimon.internal;

import io.tributary.core.Row;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Derives the hidden primary key of a table without a key: a 128-bit SHA-256 prefix over the row's values.
 *
 * <p>Columns are identified by their Paimon field id, so a rename keeps the hash. Null values and values
 * equal to the column's default are left out, so that adding a column (old rows read its default or null)
 * does not change the hash of existing rows. Integers are hashed as longs and floats as doubles, so that
 * widening a column keeps the hash too.
 */
public final class RowHasher {
  private RowHasher() {}

  public static String hash(StructType table, int[] fieldIds, Object[] values) {
    MessageDigest digest = sha256();
    for (int i = 0; i < values.length; i++) {
      Field f = table.field(i);
      Object v = values[i];
      if (v == null || (f.hasDefault() && f.defaultValue().equals(v))) {
        continue;
      }
      update(digest, fieldIds[i]);
      feed(digest, v);
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 16);
  }

  private static void feed(MessageDigest d, Object v) {
    if (v == null) {
      d.update((byte) 0);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      d.update((byte) 1);
      update(d, ((Number) v).longValue());
    } else if (v instanceof Float || v instanceof Double) {
      d.update((byte) 2);
      update(d, Double.doubleToLongBits(((Number) v).doubleValue()));
    } else if (v instanceof BigDecimal bd) {
      d.update((byte) 3);
      bytes(d, bd.toPlainString().getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof ByteBuffer b) {
      d.update((byte) 4);
      ByteBuffer dup = b.duplicate();
      byte[] bytes = new byte[dup.remaining()];
      dup.get(bytes);
      bytes(d, bytes);
    } else if (v instanceof Boolean b) {
      d.update((byte) (b ? 6 : 5));
    } else if (v instanceof Row r) {
      d.update((byte) 7);
      for (int i = 0; i < r.size(); i++) {
        if (r.get(i) != null) {
          bytes(d, r.schema().field(i).name().getBytes(StandardCharsets.UTF_8));
          feed(d, r.get(i));
        }
      }
      d.update((byte) 8);
    } else if (v instanceof List<?> list) {
      d.update((byte) 9);
      update(d, list.size());
      for (Object e : list) {
        feed(d, e);
      }
    } else if (v instanceof Map<?, ?> map) {
      d.update((byte) 10);
      update(d, map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        feed(d, e.getKey());
        feed(d, e.getValue());
      }
    } else {
      d.update((byte) 11);
      bytes(d, v.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void bytes(MessageDigest d, byte[] bytes) {
    update(d, bytes.length);
    d.update(bytes);
  }

  private static void update(MessageDigest d, long v) {
    for (int i = 7; i >= 0; i--) {
      d.update((byte) (v >>> (i * 8)));
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
