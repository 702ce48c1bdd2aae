package io.tributary.paimon.glue;

import org.apache.paimon.options.ConfigOption;
import org.apache.paimon.options.ConfigOptions;

/**
 * Catalog options of {@link GlueCatalog} ({@code metastore=glue}), in addition to Paimon's own catalog options
 * ({@code warehouse}, {@code s3.*} for the file system, {@code table-default.*}, ...).
 */
public final class GlueCatalogOptions {

  /** The {@code metastore} value that selects this catalog. */
  public static final String IDENTIFIER = "glue";

  /** Glue endpoint URI, for a VPC endpoint or a test endpoint; the region's public endpoint when unset. */
  public static final ConfigOption<String> GLUE_ENDPOINT = ConfigOptions.key("glue.endpoint").stringType()
      .noDefaultValue().withDescription("Endpoint URI of the AWS Glue API; the region's endpoint when unset.");

  /** AWS region of the Glue client; the SDK's default region chain when unset. */
  public static final ConfigOption<String> CLIENT_REGION = ConfigOptions.key("client.region").stringType()
      .noDefaultValue().withDescription("AWS region of the Glue client; the SDK default region chain when unset.");

  /** The Glue catalog id (AWS account id) holding the databases; the caller's account when unset. */
  public static final ConfigOption<String> GLUE_CATALOG_ID = ConfigOptions.key("glue.catalog-id").stringType()
      .noDefaultValue().withDescription("Glue catalog id (account id) to use; the caller's account when unset.");

  /** Static access key id of the Glue client; with the secret key it replaces the SDK default credentials chain. */
  public static final ConfigOption<String> GLUE_ACCESS_KEY_ID = ConfigOptions.key("glue.access-key-id").stringType()
      .noDefaultValue().withDescription("Static access key id for Glue; the SDK default credentials chain when unset.");

  /** Static secret access key of the Glue client. */
  public static final ConfigOption<String> GLUE_SECRET_ACCESS_KEY = ConfigOptions.key("glue.secret-access-key")
      .stringType().noDefaultValue().withDescription("Static secret access key for Glue.");

  /** Session token going with static temporary keys. */
  public static final ConfigOption<String> GLUE_SESSION_TOKEN = ConfigOptions.key("glue.session-token").stringType()
      .noDefaultValue().withDescription("Session token of temporary static credentials for Glue.");

  /** Whether Glue skips archiving the previous table version on each update (Glue keeps a bounded history). */
  public static final ConfigOption<Boolean> GLUE_SKIP_ARCHIVE = ConfigOptions.key("glue.skip-archive").booleanType()
      .defaultValue(true).withDescription("Skip archiving old Glue table versions on updates.");

  /**
   * Suffix of the Glue Iceberg table that mirrors a Paimon table writing Iceberg metadata, unless the table sets
   * Paimon's {@code metadata.iceberg.database} / {@code metadata.iceberg.table}.
   */
  public static final ConfigOption<String> ICEBERG_TABLE_SUFFIX = ConfigOptions.key("glue.iceberg-table-suffix")
      .stringType().defaultValue("_iceberg")
      .withDescription("Name suffix of the Glue Iceberg table registered for a Paimon table with Iceberg metadata.");

  private GlueCatalogOptions() {
  }
}
