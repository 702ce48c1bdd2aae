package io.tributary.iceberg.testing;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Static AWS credentials for Iceberg's {@code client.credentials-provider} property, which Iceberg loads by class name
 * and builds through {@link #create(Map)} with the {@code client.credentials-provider.*} properties (prefix removed).
 */
public final class StaticTestCredentials implements AwsCredentialsProvider {

  /** Catalog property holding the access key id. */
  public static final String ACCESS_KEY_ID_PROPERTY = "client.credentials-provider.access-key-id";
  /** Catalog property holding the secret access key. */
  public static final String SECRET_ACCESS_KEY_PROPERTY = "client.credentials-provider.secret-access-key";

  private final AwsCredentials credentials;

  private StaticTestCredentials(AwsCredentials credentials) {
    this.credentials = credentials;
  }

  /** Called by Iceberg's {@code AwsClientProperties}; requires {@code access-key-id} and {@code secret-access-key}. */
  public static StaticTestCredentials create(Map<String, String> properties) {
    String accessKeyId = properties.get("access-key-id");
    String secretAccessKey = properties.get("secret-access-key");
    if (accessKeyId == null || secretAccessKey == null) {
      throw new IllegalArgumentException("Set " + ACCESS_KEY_ID_PROPERTY + " and " + SECRET_ACCESS_KEY_PROPERTY);
    }
    return new StaticTestCredentials(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
  }

  @Override
  public AwsCredentials resolveCredentials() {
    return credentials;
  }
}
