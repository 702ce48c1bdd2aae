/**
 * Test fixtures, shipped in the {@code tributary-iceberg} test-jar, for testing against AWS Glue and S3 on loopback
 * with the real AWS SDK v2 and Iceberg's real {@code GlueCatalog} and {@code S3FileIO}.
 *
 * <p>{@link io.tributary.iceberg.testing.GlueEndpoint} serves the Glue JSON protocol in memory,
 * {@link io.tributary.iceberg.testing.S3Endpoint} serves S3 through S3Proxy, and
 * {@link io.tributary.iceberg.testing.AwsTestCatalogs} builds the catalog properties pointing at both;
 * {@link io.tributary.iceberg.testing.RealAws} switches opted-in tests to a real account. A module using them adds
 * {@code tributary-iceberg} with {@code <type>test-jar</type>} and {@code org.gaul:s3proxy}, both test-scoped (the root
 * pom manages the version and the exclusions that keep S3Proxy's tree off the SDK's Netty and the SLF4J binding).
 */
package io.tributary.iceberg.testing;
