package io.tributary.paimon.glue.internal;

import io.tributary.paimon.glue.GlueCatalogOptions;
import java.net.URI;
import org.apache.paimon.options.Options;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.GlueClientBuilder;

/** Builds the AWS SDK v2 Glue client from {@link GlueCatalogOptions}. */
public final class GlueClients {
  private GlueClients() {
  }

  /** A new Glue client; the caller closes it. */
  public static GlueClient create(Options options) {
    GlueClientBuilder builder = GlueClient.builder()
        // the URL-connection client keeps the dependency set small; Glue calls are few and small
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(credentials(options));
    String endpoint = options.get(GlueCatalogOptions.GLUE_ENDPOINT);
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    String region = options.get(GlueCatalogOptions.CLIENT_REGION);
    if (region != null) {
      builder.region(Region.of(region));
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(Options options) {
    String accessKeyId = options.get(GlueCatalogOptions.GLUE_ACCESS_KEY_ID);
    String secretAccessKey = options.get(GlueCatalogOptions.GLUE_SECRET_ACCESS_KEY);
    if (accessKeyId == null && secretAccessKey == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    if (accessKeyId == null || secretAccessKey == null) {
      throw new IllegalArgumentException("Set both " + GlueCatalogOptions.GLUE_ACCESS_KEY_ID.key() + " and "
          + GlueCatalogOptions.GLUE_SECRET_ACCESS_KEY.key() + ", or neither to use the default credentials chain");
    }
    String sessionToken = options.get(GlueCatalogOptions.GLUE_SESSION_TOKEN);
    return StaticCredentialsProvider.create(sessionToken == null
        ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
        : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken));
  }
}
