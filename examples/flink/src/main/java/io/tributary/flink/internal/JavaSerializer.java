package io.tributary.flink.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Serializes committables with Java serialization: the sinks' write results are {@link Serializable} (Iceberg
 * data files, Paimon commit messages) and their classes come from the job's class loader.
 */
public final class JavaSerializer<T extends Serializable> implements SimpleVersionedSerializer<T> {
  private final Class<T> type;

  public JavaSerializer(Class<T> type) {
    this.type = type;
  }

  @Override
  public int getVersion() {
    return 1;
  }

  @Override
  public byte[] serialize(T obj) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(obj);
    }
    return bytes.toByteArray();
  }

  @Override
  public T deserialize(int version, byte[] serialized) throws IOException {
    if (version != 1) {
      throw new IOException("unknown committable version " + version + " of " + type.getName());
    }
    ClassLoader loader = type.getClassLoader();
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized)) {
      @Override
      protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          return super.resolveClass(desc);
        }
      }
    }) {
      return type.cast(in.readObject());
    } catch (ClassNotFoundException e) {
      throw new IOException("cannot read a " + type.getName() + ": " + e.getMessage(), e);
    }
  }
}
