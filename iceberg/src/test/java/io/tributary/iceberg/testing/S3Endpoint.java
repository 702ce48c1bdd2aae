package io.tributary.iceberg.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.logging.slf4j.config.SLF4JLoggingModule;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 API endpoint on loopback, served in-process by S3Proxy over a jclouds blob store, so tests can use Iceberg's
 * real {@code S3FileIO} (and any AWS SDK v2 S3 client) with path-style access and static test credentials.
 *
 * <p>Objects live in a temporary directory (jclouds {@code filesystem} store) that {@link #close()} deletes. Use it as a
 * JUnit 5 extension ({@code @RegisterExtension static final S3Endpoint S3 = S3Endpoint.create();}) or as an
 * {@link AutoCloseable} with {@link #start()}.
 */
public final class S3Endpoint implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  private static final Logger LOG = LoggerFactory.getLogger(S3Endpoint.class);

  private final String accessKeyId;
  private final String secretAccessKey;
  private Path directory;
  private BlobStoreContext context;
  private S3Proxy proxy;

  private S3Endpoint(String accessKeyId, String secretAccessKey) {
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
  }

  /** An endpoint that accepts {@link AwsTestCatalogs#ACCESS_KEY_ID} / {@link AwsTestCatalogs#SECRET_ACCESS_KEY}. */
  public static S3Endpoint create() {
    return new S3Endpoint(AwsTestCatalogs.ACCESS_KEY_ID, AwsTestCatalogs.SECRET_ACCESS_KEY);
  }

  /** Starts S3Proxy on a random port of 127.0.0.1 over a fresh temporary directory; returns this endpoint. */
  public synchronized S3Endpoint start() {
    if (proxy != null) {
      throw new IllegalStateException("S3 endpoint already started at " + endpoint());
    }
    try {
      directory = Files.createTempDirectory("tributary-s3-");
      Properties overrides = new Properties();
      overrides.setProperty("jclouds.filesystem.basedir", directory.toString());
      context = ContextBuilder.newBuilder("filesystem")
          .credentials(accessKeyId, secretAccessKey)
          .overrides(overrides)
          .modules(List.of(new SLF4JLoggingModule()))
          .build(BlobStoreContext.class);
      proxy = S3Proxy.builder()
          .blobStore(context.getBlobStore())
          .endpoint(URI.create("http://127.0.0.1:0"))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
          .build();
      proxy.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start within 30 s, state " + proxy.getState());
        }
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("Interrupted while starting S3Proxy", e);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("Cannot start S3Proxy on loopback", e);
    }
    LOG.info("S3 endpoint listening at {} over {}", endpoint(), directory);
    return this;
  }

  /** The base URI to pass as {@code s3.endpoint}; clients must use path-style access. */
  public synchronized URI endpoint() {
    if (proxy == null) {
      throw new IllegalStateException("S3 endpoint not started");
    }
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** The access key id the endpoint accepts. */
  public String accessKeyId() {
    return accessKeyId;
  }

  /** The secret access key the endpoint accepts. */
  public String secretAccessKey() {
    return secretAccessKey;
  }

  /** Creates a bucket unless it exists; returns its name. */
  public String createBucket(String bucket) {
    blobStore().createContainerInLocation(null, bucket);
    return bucket;
  }

  /** Keys of all objects in the bucket, sorted. */
  public List<String> objectKeys(String bucket) {
    return objectKeys(bucket, "");
  }

  /** Keys of the objects in the bucket whose key starts with the prefix, sorted. */
  public List<String> objectKeys(String bucket, String prefix) {
    BlobStore store = blobStore();
    List<String> keys = new ArrayList<>();
    ListContainerOptions options = ListContainerOptions.Builder.recursive();
    while (true) {
      PageSet<? extends StorageMetadata> page = store.list(bucket, options);
      for (StorageMetadata metadata : page) {
        if (metadata.getType() == StorageType.BLOB && metadata.getName().startsWith(prefix)) {
          keys.add(metadata.getName());
        }
      }
      if (page.getNextMarker() == null) {
        break;
      }
      options = ListContainerOptions.Builder.recursive().afterMarker(page.getNextMarker());
    }
    keys.sort(Comparator.naturalOrder());
    return List.copyOf(keys);
  }

  /**
   * A new AWS SDK v2 S3 client for this endpoint (path-style, static credentials, URL-connection HTTP client); the
   * caller closes it.
   */
  public S3Client newClient() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .region(Region.of(AwsTestCatalogs.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Stops S3Proxy and deletes the stored objects. */
  @Override
  public synchronized void close() {
    if (proxy != null) {
      try {
        proxy.stop();
      } catch (Exception e) {
        LOG.warn("Cannot stop S3Proxy at port {}", proxy.getPort(), e);
      }
      proxy = null;
    }
    if (context != null) {
      context.close();
      context = null;
    }
    if (directory != null) {
      deleteRecursively(directory);
      directory = null;
    }
  }

  @Override
  public void beforeAll(ExtensionContext extensionContext) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext extensionContext) {
    close();
  }

  private synchronized BlobStore blobStore() {
    if (context == null) {
      throw new IllegalStateException("S3 endpoint not started");
    }
    return context.getBlobStore();
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + root, e);
    }
  }
}
