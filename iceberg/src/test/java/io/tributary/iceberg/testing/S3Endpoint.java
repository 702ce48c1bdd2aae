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
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobProviderMetadata;
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
 * An S3 API endpoint on loopback, served in-process by S3Proxy over its NIO.2 filesystem blob store, so tests can
 * use Iceberg's real {@code S3FileIO} (and any AWS SDK v2 S3 client) with path-style access and static credentials.
 *
 * <p>S3Proxy verifies SigV4 but not the trailing-checksum payload modes ({@code *-PAYLOAD-TRAILER}) the SDK uses by
 * default since 2.30, and Iceberg has no property for the SDK's {@code requestChecksumCalculation}. So {@link #start()}
 * sets the SDK's JVM-wide system property {@value #CHECKSUM_CALCULATION_PROPERTY} to {@code when_required} unless it is
 * already set (real S3 works either way), and S3Proxy ignores the flexible-checksum headers it does not know.
 *
 * <p>Objects live in a temporary directory that {@link #close()} deletes. Use it as a
 * JUnit 5 extension ({@code @RegisterExtension static final S3Endpoint S3 = S3Endpoint.create();}) or as an
 * {@link AutoCloseable} with {@link #start()}.
 */
public final class S3Endpoint implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  /** The AWS SDK system property choosing when request checksums are computed. */
  public static final String CHECKSUM_CALCULATION_PROPERTY = "aws.requestChecksumCalculation";

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
    if (System.getProperty(CHECKSUM_CALCULATION_PROPERTY) == null) {
      System.setProperty(CHECKSUM_CALCULATION_PROPERTY, "when_required");
    }
    try {
      directory = Files.createTempDirectory("tributary-s3-");
      Properties overrides = new Properties();
      overrides.setProperty("jclouds.filesystem.basedir", directory.toString());
      // S3Proxy's NIO.2 store, unlike jclouds' filesystem store, lists no directory-marker keys such as "a/b/".
      // Built from the metadata, not by id: looking providers up by id loads every provider on the class path, and
      // the Azure one S3Proxy ships needs jars excluded from the test class path.
      context = ContextBuilder.newBuilder(new FilesystemNio2BlobProviderMetadata())
          .credentials(accessKeyId, secretAccessKey)
          .overrides(overrides)
          .modules(List.of(new SLF4JLoggingModule()))
          .build(BlobStoreContext.class);
      proxy = S3Proxy.builder()
          .blobStore(context.getBlobStore())
          .endpoint(URI.create("http://127.0.0.1:0"))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
          // the SDK sends flexible-checksum headers (x-amz-checksum-crc32...) S3Proxy does not know
          .ignoreUnknownHeaders(true)
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
