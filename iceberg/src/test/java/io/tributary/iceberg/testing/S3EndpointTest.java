package io.tributary.iceberg.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Drives {@link S3Endpoint} with the real AWS SDK v2 S3 client. */
class S3EndpointTest {

  @RegisterExtension
  static final S3Endpoint S3 = S3Endpoint.create();

  @Test
  void putGetListAndBatchDelete() {
    String bucket = S3.createBucket("put-get");
    try (S3Client s3 = S3.newClient()) {
      s3.putObject(r -> r.bucket(bucket).key("a/b/one.txt"), RequestBody.fromString("one"));
      s3.putObject(r -> r.bucket(bucket).key("a/two.txt"), RequestBody.fromString("two"));

      assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key("a/b/one.txt")).asString(StandardCharsets.UTF_8))
          .isEqualTo("one");
      assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("a/")).contents())
          .extracting(S3Object::key).containsExactly("a/b/one.txt", "a/two.txt");
      assertThat(S3.objectKeys(bucket)).containsExactly("a/b/one.txt", "a/two.txt");
      assertThat(S3.objectKeys(bucket, "a/b/")).containsExactly("a/b/one.txt");

      s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(
          ObjectIdentifier.builder().key("a/b/one.txt").build(), ObjectIdentifier.builder().key("a/two.txt").build())));
      assertThat(S3.objectKeys(bucket)).isEmpty();
      assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket(bucket).key("a/two.txt")))
          .isInstanceOf(NoSuchKeyException.class);
    }
  }

  @Test
  void multipartUploadsAssemble() {
    String bucket = S3.createBucket("multipart");
    byte[] part1 = new byte[5 * 1024 * 1024];
    new Random(7).nextBytes(part1);
    byte[] part2 = "tail".getBytes(StandardCharsets.UTF_8);
    try (S3Client s3 = S3.newClient()) {
      String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("big")).uploadId();
      String etag1 = s3.uploadPart(r -> r.bucket(bucket).key("big").uploadId(uploadId).partNumber(1),
          RequestBody.fromBytes(part1)).eTag();
      String etag2 = s3.uploadPart(r -> r.bucket(bucket).key("big").uploadId(uploadId).partNumber(2),
          RequestBody.fromBytes(part2)).eTag();
      s3.completeMultipartUpload(r -> r.bucket(bucket).key("big").uploadId(uploadId).multipartUpload(m -> m.parts(
          CompletedPart.builder().partNumber(1).eTag(etag1).build(),
          CompletedPart.builder().partNumber(2).eTag(etag2).build())));

      byte[] read = s3.getObjectAsBytes(r -> r.bucket(bucket).key("big")).asByteArray();
      assertThat(read).hasSize(part1.length + part2.length);
      assertThat(java.util.Arrays.copyOfRange(read, part1.length, read.length)).isEqualTo(part2);
      assertThat(java.util.Arrays.copyOf(read, part1.length)).isEqualTo(part1);
    }
  }

  @Test
  void wrongCredentialsAreRejected() {
    try (S3Client stranger = S3Client.builder()
        .endpointOverride(S3.endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("nobody", "wrong")))
        .httpClient(UrlConnectionHttpClient.create())
        .build()) {
      assertThatThrownBy(stranger::listBuckets)
          .isInstanceOf(S3Exception.class)
          .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
    }
  }
}
