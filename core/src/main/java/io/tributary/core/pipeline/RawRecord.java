package io.tributary.core.pipeline;

import io.tributary.core.Origin;
import java.util.List;
import java.util.Objects;

/**
 * The bytes of a source record as it was read, kept with its buffered change so that a record that later
 * fails can be dead-lettered unchanged.
 */
public record RawRecord(Origin origin, byte[] key, byte[] value, List<Header> headers, long timestamp) {

  /** One record header. */
  public record Header(String key, byte[] value) {
    public Header {
      Objects.requireNonNull(key, "key");
    }
  }

  public RawRecord {
    Objects.requireNonNull(origin, "origin");
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  public static RawRecord of(Origin origin, byte[] key, byte[] value) {
    return new RawRecord(origin, key, value, List.of(), -1L);
  }

  /** Key plus value bytes: what the record costs to hold in a buffer, roughly. */
  public long sizeInBytes() {
    long size = 64;
    if (key != null) {
      size += key.length;
    }
    if (value != null) {
      size += value.length;
    }
    return size;
  }
}
