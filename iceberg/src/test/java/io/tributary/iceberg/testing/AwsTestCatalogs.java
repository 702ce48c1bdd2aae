package io.tributary.iceberg.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.AwsProperties;
import org.apache.iceberg.aws.HttpClientProperties;
import org.apache.iceberg.aws.s3.S3FileIOProperties;
import org.apache.iceberg.catalog.Catalog;

/**
 * Iceberg catalog properties for the real {@code GlueCatalog} and {@code S3FileIO} pointed at the loopback
 * {@link GlueEndpoint} and {@link S3Endpoint}, with static test credentials for both clients.
 *
 * <p>Both AWS clients are built by Iceberg's default {@code AwsClientFactory}: S3 gets the static keys from
 * {@code s3.access-key-id}/{@code s3.secret-access-key}; Glue has no such keys, so {@code client.credentials-provider}
 * names {@link StaticTestCredentials}, which Iceberg instantiates through its static {@code create(Map)} with the
 * {@code client.credentials-provider.*} properties. Nothing reads environment variables or {@code ~/.aws}.
 */
public final class AwsTestCatalogs {

  /** The access key id both loopback endpoints accept. */
  public static final String ACCESS_KEY_ID = "tributary-test-access-key";
  /** The secret access key both loopback endpoints accept. */
  public static final String SECRET_ACCESS_KEY = "tributary-test-secret-key";
  /** The region the clients are configured with (signing only; loopback endpoints ignore it). */
  public static final String REGION = "us-east-1";

  private AwsTestCatalogs() {
  }

  /**
   * Catalog properties for Glue + S3 on the loopback endpoints, with warehouse {@code s3://<bucket>/wh}; the bucket is
   * created on the S3 endpoint if missing.
   */
  public static Map<String, String> glueCatalogProperties(GlueEndpoint glue, S3Endpoint s3, String bucket) {
    s3.createBucket(bucket);
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(CatalogProperties.CATALOG_IMPL, "org.apache.iceberg.aws.glue.GlueCatalog");
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, "s3://" + bucket + "/wh");
    properties.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
    properties.put(AwsProperties.GLUE_CATALOG_ENDPOINT, glue.endpoint().toString());
    properties.put(S3FileIOProperties.ENDPOINT, s3.endpoint().toString());
    properties.put(S3FileIOProperties.PATH_STYLE_ACCESS, "true");
    properties.put(S3FileIOProperties.ACCESS_KEY_ID, s3.accessKeyId());
    properties.put(S3FileIOProperties.SECRET_ACCESS_KEY, s3.secretAccessKey());
    properties.put(AwsClientProperties.CLIENT_REGION, REGION);
    properties.put(AwsClientProperties.CLIENT_CREDENTIALS_PROVIDER, StaticTestCredentials.class.getName());
    properties.put(StaticTestCredentials.ACCESS_KEY_ID_PROPERTY, ACCESS_KEY_ID);
    properties.put(StaticTestCredentials.SECRET_ACCESS_KEY_PROPERTY, SECRET_ACCESS_KEY);
    properties.put(HttpClientProperties.CLIENT_TYPE, HttpClientProperties.CLIENT_TYPE_URLCONNECTION);
    return Map.copyOf(properties);
  }

  /** A new, initialized catalog built from properties such as {@link #glueCatalogProperties}; the caller closes it. */
  public static Catalog newCatalog(String name, Map<String, String> properties) {
    return CatalogUtil.buildIcebergCatalog(name, properties, null);
  }
}
