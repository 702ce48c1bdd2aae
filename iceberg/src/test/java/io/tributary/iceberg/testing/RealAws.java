package io.tributary.iceberg.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.HttpClientProperties;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Opt-in switch for running tests against real AWS Glue and S3 instead of the loopback endpoints.
 *
 * <p>Real AWS is used only when environment variable {@value #SWITCH} is {@code 1}, {@value #WAREHOUSE} names an S3
 * location the caller may write (e.g. {@code s3://my-bucket/tributary-tests}), and the AWS SDK's default credentials
 * chain finds credentials (environment, {@code ~/.aws}, instance role...). The region comes from
 * {@code AWS_REGION}, else {@value AwsTestCatalogs#REGION}. Tests annotated {@link Enabled} are skipped otherwise.
 * Tests must use unique database names and drop what they create: the Glue catalog and bucket are shared.
 */
public final class RealAws implements ExecutionCondition {

  /** Environment variable that must be {@code 1} to target real AWS. */
  public static final String SWITCH = "TRIBUTARY_AWS_TEST";
  /** Environment variable naming the S3 warehouse location on real AWS. */
  public static final String WAREHOUSE = "TRIBUTARY_AWS_WAREHOUSE";

  /** Runs the annotated test class or method only when {@link RealAws#unavailableReason()} is empty. */
  @Target({ElementType.TYPE, ElementType.METHOD})
  @Retention(RetentionPolicy.RUNTIME)
  @ExtendWith(RealAws.class)
  public @interface Enabled {
  }

  /** Empty when real AWS may be used; otherwise why not. */
  public static Optional<String> unavailableReason() {
    if (!"1".equals(System.getenv(SWITCH))) {
      return Optional.of("real AWS tests are off: set " + SWITCH + "=1 and " + WAREHOUSE + "=s3://bucket/prefix");
    }
    String warehouse = System.getenv(WAREHOUSE);
    if (warehouse == null || !warehouse.startsWith("s3://")) {
      return Optional.of(WAREHOUSE + " must name an s3:// location, got " + warehouse);
    }
    try (DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build()) {
      credentials.resolveCredentials();
    } catch (SdkClientException e) {
      return Optional.of("no AWS credentials found by the default chain: " + e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Catalog properties for the real {@code GlueCatalog} and {@code S3FileIO} with the default credentials chain;
   * fails unless {@link #unavailableReason()} is empty.
   */
  public static Map<String, String> glueCatalogProperties() {
    unavailableReason().ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
    String region = System.getenv("AWS_REGION");
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(CatalogProperties.CATALOG_IMPL, "org.apache.iceberg.aws.glue.GlueCatalog");
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, System.getenv(WAREHOUSE));
    properties.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
    properties.put(AwsClientProperties.CLIENT_REGION,
        region == null || region.isEmpty() ? AwsTestCatalogs.REGION : region);
    properties.put(HttpClientProperties.CLIENT_TYPE, HttpClientProperties.CLIENT_TYPE_URLCONNECTION);
    return Map.copyOf(properties);
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return unavailableReason()
        .map(ConditionEvaluationResult::disabled)
        .orElseGet(() -> ConditionEvaluationResult.enabled("real AWS tests enabled by " + SWITCH));
  }
}
